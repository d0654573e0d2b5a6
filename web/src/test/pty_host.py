"""Runs a command on a real pseudo-terminal for FakeWebContainer (python3's `pty`, no native Node addon).

Usage: python3 pty_host.py COLS ROWS COMMAND [ARGS...]
- stdin is written to the terminal, everything the terminal prints goes to stdout;
- each line "COLS ROWS" on fd 3 resizes the terminal (the kernel sends SIGWINCH to its foreground job);
- exits with the command's exit code (128 + signal number when a signal ended it).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios


def winsize(cols, rows):
    return struct.pack("HHHH", rows, cols, 0, 0)


def main():
    cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, winsize(cols, rows))
        try:
            os.execvp(argv[0], argv)
        except OSError as error:
            os.write(2, f"{argv[0]}: {error.strerror}\r\n".encode())
            os._exit(127)

    control, pending = 3, b""
    sources = [control, master, 0]
    status = None
    while status is None:
        ready, _, _ = select.select(sources, [], [], 0.05)
        # Resizes first: a resize sent before some input must apply before the program reads that input.
        for source in sorted(ready, key=sources.index):
            if source == control:
                data = os.read(control, 4096)
                if not data:
                    sources.remove(control)
                    continue
                *lines, pending = (pending + data).split(b"\n")
                for line in lines:
                    new_cols, new_rows = (int(part) for part in line.split())
                    fcntl.ioctl(master, termios.TIOCSWINSZ, winsize(new_cols, new_rows))
            elif source == master:
                if not _pump(master):
                    sources.remove(master)
            else:
                data = os.read(0, 65536)
                if data:
                    os.write(master, data)
                else:
                    sources.remove(0)
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
    # The command is gone; print what it left in the terminal, without waiting on programs it left running.
    while master in sources and select.select([master], [], [], 0)[0] and _pump(master):
        pass
    code = os.waitstatus_to_exitcode(status)
    sys.exit(128 - code if code < 0 else code)


def _pump(master):
    try:
        data = os.read(master, 65536)
    except OSError:
        return False
    if not data:
        return False
    os.write(1, data)
    return True


main()
