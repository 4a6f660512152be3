#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile UDP host for the lab (tests/integration/udp_lab_test.cpp): it listens on ADDR:PORT and answers
# every datagram with
#   - a huge datagram (60,000 bytes) from its own port: its own row, open;
#   - a flood of 300 small datagrams from the same port;
#   - forged ICMP port unreachables, sent from its own address, that quote a datagram from the scanner to
#     each VICTIM:PORT: another host's ports, which must not change.
# Runs inside the lab's target namespace only; stops after --seconds; prints "ready" once listening.
#
#   udp_hostile.py --bind ADDR PORT --victim ADDR --victim-ports P,P [--seconds N]
import argparse
import ipaddress
import random
import select
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def quoted_v4(src: str, dst: str, sport: int, dport: int) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + 4, 0) + b"ping"
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), random.randint(1, 0xFFFF), 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + udp


def quoted_v6(src: str, dst: str, sport: int, dport: int) -> bytes:
    udp = struct.pack("!HHHH", sport, dport, 8 + 4, 0) + b"ping"
    return (struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) + udp)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", nargs=2, required=True)
    ap.add_argument("--victim", required=True)
    ap.add_argument("--victim-ports", required=True)
    ap.add_argument("--seconds", type=int, default=300)
    a = ap.parse_args()
    addr, port = a.bind[0], int(a.bind[1])
    v6 = ipaddress.ip_address(addr).version == 6
    family = socket.AF_INET6 if v6 else socket.AF_INET
    victim_ports = [int(p) for p in a.victim_ports.split(",")]
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    sock.bind((addr, port))
    raw = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    raw.bind((addr, 0))
    print("ready", flush=True)
    deadline = time.monotonic() + a.seconds
    handled = 0
    while time.monotonic() < deadline and handled < 10000:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if not ready:
            continue
        _, peer = sock.recvfrom(65536)
        handled += 1
        scanner, sport = peer[0], peer[1]
        sock.sendto(b"H" * 60000, peer)
        for _ in range(300):
            sock.sendto(b"flood", peer)
        for vp in victim_ports:
            if v6:
                msg = struct.pack("!BBHI", 1, 4, 0, 0) + quoted_v6(scanner, a.victim, sport, vp)
                raw.sendto(msg, (scanner, 0))  # the kernel computes the ICMPv6 checksum
            else:
                body = struct.pack("!BBHI", 3, 3, 0, 0) + quoted_v4(scanner, a.victim, sport, vp)
                body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
                raw.sendto(body, (scanner, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
