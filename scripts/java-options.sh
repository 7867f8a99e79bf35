#!/usr/bin/env bash
# The gateway's JVM options: the defaults below, then $MM_JAVA_OPTS (a later option wins, so
# MM_JAVA_OPTS=-Xmx1g raises the heap; naming a collector there replaces the default one).
#
# Why these: the JVM's own defaults size the heap at a quarter of the machine's memory and pick G1,
# and a gateway under load then grows to hundreds of MB it does not need (704 MB measured after a
# benchmark run on a 24 GB machine). Requests allocate much and keep little, so a small heap with the
# serial collector holds the resident memory at about 150 MB idle and under 400 MB with 256 streams
# open, with young collections of a few milliseconds; see docs/PERFORMANCE.md.
# llama.cpp's binding loads its native library with System.load: native access granted up front
# keeps the JDK from warning about it on every command.
native="--enable-native-access=ALL-UNNAMED"
heap="-Xms32m -Xmx256m"
collector="-XX:+UseSerialGC"
user="${MM_JAVA_OPTS:-}"
case " $user " in
  *" -XX:+Use"*"GC "*) collector="" ;;
esac
echo "$native $heap $collector $user"
