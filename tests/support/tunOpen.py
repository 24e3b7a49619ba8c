#!/usr/bin/env python3
"""Creates TUN devices and execs a command that inherits their file descriptors.

Node cannot call ioctl(TUNSETIFF), so this opens /dev/net/tun once per name,
attaches each descriptor to a new TUN device (IFF_TUN, no packet-info header),
marks it inheritable and execs the rest of the command line with TUN_FDS=<fd,fd>
in its environment. The devices live as long as the last process holding them.

usage: tunOpen.py NAME [NAME...] -- COMMAND [ARGS...]
"""
import fcntl
import os
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

separator = sys.argv.index("--")
names, command = sys.argv[1:separator], sys.argv[separator + 1 :]
fds = []
for name in names:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_inheritable(fd, True)
    fds.append(str(fd))
os.environ["TUN_FDS"] = ",".join(fds)
os.execvp(command[0], command)
