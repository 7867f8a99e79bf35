#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (with javac), looking at JAVA_HOME, then at the
# JDKs installed beside the default one, then (as root on a Debian that packages
# it) installing openjdk-21-jdk-headless. Exits 1 with a message when none can be had.
# The default `java` on the target machines is 17, so it is never trusted blindly.
set -u
required=21

major_of() {
  # $1: a JDK home; prints its feature version, or nothing when it is not a usable JDK
  local home=$1
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  local line
  line=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version') || return 1
  echo "${line##*= }" | cut -d. -f1
}

usable() {
  local major
  major=$(major_of "$1") || return 1
  [ -n "$major" ] && [ "$major" -ge "$required" ]
}

if [ -n "${JAVA_HOME:-}" ] && usable "$JAVA_HOME"; then
  echo "$JAVA_HOME"
  exit 0
fi

best="" best_major=0
for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] || continue
  [ -L "$home" ] && continue
  major=$(major_of "$home") || continue
  if [ -n "$major" ] && [ "$major" -ge "$required" ] && [ "$major" -gt "$best_major" ]; then
    best=$home best_major=$major
  fi
done
if [ -n "$best" ]; then
  echo "$best"
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "find-jdk: no JDK >= $required found; installing openjdk-21-jdk-headless" >&2
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-21-jdk-headless >&2 \
     || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-21-jdk-headless >&2; }; then
    for home in /usr/lib/jvm/java-21-openjdk-*; do
      if usable "$home"; then echo "$home"; exit 0; fi
    done
  fi
fi

cat >&2 <<MSG
find-jdk: no JDK $required or newer was found.
  Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /opt/java, /opt/jdk*, ~/.sdkman.
  Install one (Debian 13: apt-get install openjdk-21-jdk-headless; elsewhere: a Temurin 21+ build)
  and point JAVA_HOME at it.
MSG
exit 1
