#!/bin/sh
echo "$GREETING $(cat "$APP_HOME/src/greeting.txt")"
