#!/bin/sh
# The browser tests drive the system Chromium; Chinese needs a CJK font or it renders as boxes.
set -eu
need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
if ! fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|noto serif cjk|source han'; then
  need="$need fonts-wqy-microhei"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装浏览器测试依赖：$need"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
else
  echo "浏览器测试需要：$need。请以 root 运行 make test，或先执行：sudo apt-get install$need" >&2
  exit 1
fi
