#!/usr/bin/env python3
"""A network-side UDP sink for bench/sfu-capacity: a TUN device that counts.

On loopback the kernel runs the receiver's whole path (IP and UDP receive,
the socket queue, waking the sink) inside the worker's sendto, which a real
network runs on the viewers' machines. Here the worker's consumers send to
addresses routed out of a TUN device instead, so the worker pays what it pays
towards a network card (IP output, the device queue) and this process, on
the harness core, polls the device every millisecond, reads every packet and
counts RTP and RTCP (RTCP carries its type, 200-206, in the second byte of the
UDP payload; SRTCP leaves it clear).

Node cannot call ioctl(TUNSETIFF), hence Python. Root only.

usage: sfu-capacity-tun-sink.py NAME ADDRESS/PREFIX
It prints "ready" once the device is up, then answers every line on stdin with
"<rtp> <rtcp> <other>" (totals so far) and exits when stdin closes; the device
goes with it.
"""
import fcntl
import os
import struct
import subprocess
import sys
import threading
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

name, address = sys.argv[1], sys.argv[2]
fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
# A long device queue rides out a scheduling hiccup of this reader (its drops show in tx_dropped).
subprocess.run(["ip", "link", "set", name, "up", "txqueuelen", "20000"], check=True)
subprocess.run(["ip", "addr", "add", address, "dev", name], check=True)

counts = [0, 0, 0]  # rtp, rtcp, other (not IPv4 UDP)


def packets():
    """Drains the device, then sleeps 1 ms: a reader blocked in read() would be woken by every packet, and
    that wake-up (an inter-processor interrupt, a VM exit here) runs inside the worker's sendto: measured
    on 21 Nov 2026 it was 28 % of the worker's CPU. A network card coalesces its work the same way."""
    read, sleep = os.read, time.sleep
    while True:
        try:
            yield read(fd, 2048)
        except BlockingIOError:
            sleep(0.001)


def read_forever() -> None:
    for packet in packets():
        # IPv4 (version 4) carrying UDP (protocol 17): the payload starts after the IP and UDP headers.
        if len(packet) > 29 and packet[0] >> 4 == 4 and packet[9] == 17:
            offset = (packet[0] & 0x0F) * 4 + 8
            kind = packet[offset + 1] if len(packet) > offset + 1 else 0
            counts[1 if 200 <= kind <= 206 else 0] += 1
        else:
            counts[2] += 1


threading.Thread(target=read_forever, daemon=True).start()
print("ready", flush=True)
for _line in sys.stdin:
    print(f"{counts[0]} {counts[1]} {counts[2]}", flush=True)
