# Shell helpers shared by the benchmark scripts (sourced, not run).

# settle PID FIELD ROUNDS SECONDS: waits until /proc/PID/status's FIELD (VmRSS, VmHWM) has not
# moved for ROUNDS checks SECONDS apart, and prints it (KB).
settle() {
  local pid=$1 field=$2 rounds=$3 pause=$4 last=0 now same=0
  while [ "$same" -lt "$rounds" ]; do
    sleep "$pause"
    now=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/status")
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; last=$now; fi
  done
  echo "$last"
}
