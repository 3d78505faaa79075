#!/usr/bin/env bash
# Start Debian's clickhouse-server (18.16) on loopback for the HTTP tests, with its data
# in a fresh directory. Prints the URL; the server runs in the background until killed
# (its pid is in DIR/server.pid).
#
#   tests/clickhouse/start-server.sh DIR [HTTP_PORT [TCP_PORT]]
set -euo pipefail
dir=$1
port=${2:-18123}
tcp_port=${3:-$((port + 1))}
mkdir -p "$dir/data" "$dir/tmp" "$dir/log"
cat >"$dir/config.xml" <<XML
<yandex>
    <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog></logger>
    <http_port>$port</http_port>
    <tcp_port>$tcp_port</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <users_config>/etc/clickhouse-server/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>536870912</mark_cache_size>
</yandex>
XML
/usr/sbin/clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
echo $! >"$dir/server.pid"
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$port/ping" >/dev/null 2>&1; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "clickhouse-server did not start; see $dir/log" >&2
tail -n 20 "$dir/log/stdout.log" "$dir/log/error.log" >&2 || true
kill "$(cat "$dir/server.pid")" 2>/dev/null || true
exit 1
