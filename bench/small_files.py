"""Cut AWS VPC text (`flowq gen -f aws`, the default 14 fields) into gzipped files of
LINES records in S3's tree, each file behind the header S3 writes:

    OUT/AWSLogs/123456789012/vpcflowlogs/us-east-1/YYYY/MM/DD/
        123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f67890_YYYYMMDDTHHMMZ_<n>.log.gz

Usage: small_files.py INPUT OUT [LINES]   (LINES default 1000)
"""
import gzip
import os
import sys
import time

HEADER = b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"


def write(out, n, lines):
    # The file's place in the tree: the capture window of its first record.
    t = time.gmtime(int(lines[0].split(b" ")[10]))
    day = os.path.join(out, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1",
                       f"{t.tm_year:04}", f"{t.tm_mon:02}", f"{t.tm_mday:02}")
    os.makedirs(day, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%MZ", t)
    name = f"123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f67890_{stamp}_{n:05x}.log.gz"
    with open(os.path.join(day, name), "wb") as f:
        f.write(gzip.compress(HEADER + b"".join(lines), compresslevel=6, mtime=0))


def main():
    src, out = sys.argv[1], sys.argv[2]
    per_file = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    n, lines = 0, []
    with open(src, "rb") as f:
        for line in f:
            lines.append(line)
            if len(lines) == per_file:
                write(out, n, lines)
                n, lines = n + 1, []
    if lines:
        write(out, n, lines)
        n += 1
    print(f"{n} files under {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
