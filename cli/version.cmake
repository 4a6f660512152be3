# SPDX-License-Identifier: GPL-2.0-or-later
# Run at build time (cmake -P) by cli/CMakeLists.txt: writes OUTPUT from cli/version_commit.cpp.in with the
# commit ghostport is built from, so `ghostport --version` names it even after new commits in an incremental
# build. configure_file rewrites OUTPUT only when its text changes, so an unchanged commit recompiles nothing.
#   SOURCE_DIR  the source tree (a git checkout, or a copy without .git as the Debian package builds)
#   TEMPLATE    cli/version_commit.cpp.in
#   OUTPUT      the generated .cpp
#   COMMIT      the fallback when SOURCE_DIR is no git checkout: -DGHOSTPORT_COMMIT=<sha> at configure time,
#               else $GHOSTPORT_COMMIT at build time, else "unknown"; a trailing "-dirty" marks it dirty
set(commit "")
set(dirty false)
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
    # Only SOURCE_DIR's own repository counts: a source copy unpacked inside another checkout must not
    # report that checkout's commit.
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel WORKING_DIRECTORY ${SOURCE_DIR}
        OUTPUT_VARIABLE top RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0)
        file(REAL_PATH "${top}" top)
        file(REAL_PATH "${SOURCE_DIR}" source)
    endif()
    if(rc EQUAL 0 AND top STREQUAL source)
        execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
            OUTPUT_VARIABLE commit RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        if(NOT rc EQUAL 0)
            set(commit "")
        else()
            # Dirty as `git describe --dirty` means it: tracked files differ from HEAD (untracked ones do not).
            execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
                WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
            if(rc EQUAL 0 AND NOT changes STREQUAL "")
                set(dirty true)
            endif()
        endif()
    endif()
endif()
if(commit STREQUAL "")
    if(NOT "${COMMIT}" STREQUAL "")
        set(commit "${COMMIT}")
    elseif(NOT "$ENV{GHOSTPORT_COMMIT}" STREQUAL "")
        set(commit "$ENV{GHOSTPORT_COMMIT}")
    else()
        set(commit "unknown")
    endif()
    if(commit MATCHES "^(.*)-dirty$")
        set(commit "${CMAKE_MATCH_1}")
        set(dirty true)
    endif()
endif()
# It becomes a C++ string literal: refuse anything but a plain name.
if(NOT commit MATCHES "^[0-9A-Za-z._+-]+$")
    message(FATAL_ERROR "GHOSTPORT_COMMIT '${commit}': use the commit's hex digits (optionally -dirty)")
endif()
set(GHOSTPORT_BUILD_COMMIT "${commit}")
set(GHOSTPORT_BUILD_DIRTY "${dirty}")
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
