#!/usr/bin/env bash
# scripts/bench select [--quick] [--case-study] [--efficiency-only] [--read-only]: memshare select, measured beside what users would
# pick instead, each pair side by side in one run (the machine is shared and noisy: compare the
# ratios, read the raw numbers beside them).
#   1. synthetic data at the case study's shape (10,446 x 19,637; --quick: 500 features) on 2
#      worker processes: wall time, ranking time, peak summed PSS
#   2. parallel efficiency of the ranking: (features x single-thread time per feature) /
#      (workers x ranking time), 1 thread against 2 threads and 2 worker processes, alternating,
#      median of 3 each (--quick: one each); and for run 1, from the same one-thread rate. The
#      worker processes start while the data is generated: their time is the ranking plus what
#      it still waited for them once the data was ready. The end-to-end wall times are printed
#      beside (--efficiency-only: this section alone)
#   3. a CSV written by pandas' to_csv (10,446 x 2,000; --quick: x 200; --case-study: x 19,637,
#      about 4 GB) read and ranked end to end in a 128 MiB heap, beside R's data.table::fread on 2
#      threads and pandas' read_csv of the same file, alternating, median of 3 each (--quick: 2).
#      memshare's "reading" is timed inside the JVM from the command's start (after the JVM's own
#      start, with the native library's load and the JIT's warm-up in it) until the matrix is in
#      shared memory; fread's inside R around fread() (R's start and library() not in it). The
#      second pair is each whole command to its data in memory: the JVM's start included, R's
#      start and library(data.table) included. --read-only: only this section
#   4. the ranking beside scikit-learn's mutual_info_classif on 10,446 x 200 with 10 planted
#      features: both times, and how many planted features each puts in its top 10
# Needs python3 with pandas and scikit-learn (Debian's python3-pandas, python3-sklearn) for 3 and
# 4, and R with data.table (r-base-core, r-cran-data.table) for fread in 3: installed when root,
# else those lines say "skipped" and why.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=false case_study=false read_only=false efficiency_only=false
for a in "$@"; do
  case "$a" in
    --quick) quick=true ;; --case-study) case_study=true ;; --read-only) read_only=true ;;
    --efficiency-only) efficiency_only=true ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
cli="$PWD/target/memshare-cli/memshare-cli.jar"
[ -f "$cli" ] || scripts/jar >/dev/null
java=(java --enable-native-access=ALL-UNNAMED)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p target/bench

# memshare select ARGS...: stdout to $work/out, stderr to $work/err; fails loudly.
select_run() {
  if ! "${java[@]}" "${heap[@]}" -jar "$cli" select "$@" >"$work/out" 2>"$work/err"; then
    tr '\r' '\n' <"$work/err" | tail -5 >&2
    echo "memshare select $* failed" >&2
    exit 1
  fi
}
# The number before " s" after WORD in the last report line: reading, ranking, "in" (wall time).
field() { grep -o "$1 [0-9.]* s" "$work/err" | tail -1 | awk '{print $2}'; }
# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

if ! $read_only; then
# ---------------------------------------------------------------- 1. the case study's shape
heap=(-Xmx6g)
features=19637; $quick && features=500
big_features=$features
if ! $efficiency_only; then
select_run --processes --workers 2 --synthetic-features "$features" --top 20
big_ranking=$(awk -v r="$(field ranking)" -v w="$(field workers)" 'BEGIN { printf "%.2f", r + w }')  # see section 2
sed 's/^/  /' "$work/out"
line=$(grep -o '[0-9]* features in [0-9.]* s wall time.*peak memory [0-9]* MiB' "$work/err" | tail -1)
echo "$line" | awk '{
  for (i = 1; i <= NF; i++) { if ($i == "in" && !t) t = $(i+1); if ($i == "memory") m = $(i+1); if ($i == "ranking") r = $(i+1) }
  printf "BENCH select_10446x%d_wall %s s\n", $1, t
  printf "BENCH select_10446x%d_ranking_only %s s\n", $1, r
  printf "BENCH select_10446x%d_peak_summed_pss %s MiB\n", $1, m }'
fi

# ---------------------------------------------------------------- 2. parallel efficiency
# The three configurations alternate, so that a burst of load from elsewhere hits them alike; the
# median of the repeats is used (3 repeats; --quick: 1).
features=2000; $quick && features=300; $case_study && features=19637
reps=3; $quick && reps=1
declare -a t1=() t2=() t2p=() w1=() w2=() w2p=() waits=()
for rep in $(seq "$reps"); do
  select_run --workers 1 --synthetic-features "$features" --top 1; t1+=("$(field ranking)"); w1+=("$(field in)")
  select_run --workers 2 --synthetic-features "$features" --top 1; t2+=("$(field ranking)"); w2+=("$(field in)")
  select_run --workers 2 --processes --synthetic-features "$features" --top 1
  waits+=("$(field workers)"); w2p+=("$(field in)")
  t2p+=("$(awk -v r="$(field ranking)" -v w="$(field workers)" 'BEGIN { printf "%.2f", r + w }')")
done
r1=$(median "${t1[@]}"); r2=$(median "${t2[@]}"); r2p=$(median "${t2p[@]}")
echo "BENCH select_ranking_1_thread_10446x$features $r1 s (runs: ${t1[*]})"
echo "BENCH select_ranking_2_threads_10446x$features $r2 s (runs: ${t2[*]})"
echo "BENCH select_ranking_2_processes_10446x$features $r2p s (runs: ${t2p[*]}; each the ranking plus the wait for the workers after the data was ready: ${waits[*]} s)"
echo "BENCH select_parallel_efficiency_threads $(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.2f", a / (2 * b) }') (goal >= 0.9)"
echo "BENCH select_parallel_efficiency_processes $(awk -v a="$r1" -v b="$r2p" 'BEGIN { printf "%.2f", a / (2 * b) }') (goal >= 0.9)"
echo "BENCH select_wall_10446x$features 1 thread $(median "${w1[@]}") s, 2 threads $(median "${w2[@]}") s, 2 processes $(median "${w2p[@]}") s (runs: ${w1[*]} | ${w2[*]} | ${w2p[*]}; end to end, JVM start not included)"
$efficiency_only && exit 0
# The same measure for run 1 (the case study's shape on 2 processes), from the one-thread rate above.
echo "BENCH select_parallel_efficiency_processes_10446x$big_features $(awk -v a="$r1" -v f="$features" -v F="$big_features" -v b="$big_ranking" \
  'BEGIN { printf "%.2f", F * a / f / (2 * b) }') (predicted $(awk -v a="$r1" -v f="$features" -v F="$big_features" \
  'BEGIN { printf "%.2f", F * a / f / 2 }') s from the one-thread rate, measured $big_ranking s; goal >= 0.9)"
fi

# ---------------------------------------------------------------- python, for 3 and 4
py=/usr/bin/python3
has_baselines() { "$py" -c 'import pandas, sklearn' >/dev/null 2>&1; }
if ! has_baselines && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench select: installing python3-pandas and python3-sklearn (Debian) for the baselines" >&2
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pandas python3-sklearn >/dev/null 2>&1; }
  install || { apt-get update -qq >/dev/null 2>&1 && install; } || true  # a fresh machine may have no package lists yet
fi
if ! has_baselines; then
  echo "BENCH csv_read skipped: $py cannot import pandas and sklearn (Debian's python3-pandas, python3-sklearn; not root to install)"
  exit 0
fi
table() {  # table FEATURES PLANTED: the cached pandas-written file's path
  local f="target/bench/select_10446x$1.csv"
  [ -s "$f" ] && [ -s "$f.planted" ] || "$py" scripts/lib/make_select_table.py 10446 "$1" "$2" "$f"
  echo "$f"
}

# ---------------------------------------------------------------- 3. a CSV, beside pandas
features=2000; $quick && features=200
if $case_study; then
  features=19637
  free=$(df -Pk target/bench | awk 'NR == 2 { print $4 }')
  if [ "$free" -lt $((9 * 1024 * 1024)) ]; then
    echo "BENCH csv_read_case_study skipped: $((free / 1024)) MiB free under target/bench; the 4 GB table and pandas need 9 GiB"
    exit 0
  fi
fi
file=$(table "$features" $([ "$features" -le 200 ] && echo 10 || echo 20))
mb=$(stat -c %s "$file" | awk '{printf "%.1f", $1 / 1e6}')
heap=(-Xmx128m)  # the matrix is 10,446 x features doubles: 159 MiB for 2,000, more than this heap
# R's data.table::fread, the reader R users pick for big tables.
has_fread() { Rscript -e 'suppressMessages(library(data.table))' >/dev/null 2>&1; }
if ! has_fread && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench select: installing r-base-core and r-cran-data.table (Debian) for the fread baseline" >&2
  install_r() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-data.table >/dev/null 2>&1; }
  install_r || { apt-get update -qq >/dev/null 2>&1 && install_r; } || true
fi
fread=true
has_fread || { fread=false; echo "BENCH csv_read_fread skipped: Rscript cannot load data.table (Debian's r-base-core, r-cran-data.table; not root to install)"; }
now() { date +%s.%N; }
declare -a ours=() ours_whole=() wall=() theirs=() freads=() freads_whole=() heaps=()
reps=3; $quick && reps=2
for rep in $(seq "$reps"); do
  t=$(now); select_run --csv "$file" --target class --discrete class --workers 2 --format tsv; t=$(awk -v a="$t" -v b="$(now)" 'BEGIN { print b - a }')
  ours+=("$(field reading)"); wall+=("$(field in)"); heaps+=("$(grep -o 'peak heap [0-9]* MiB' "$work/err" | tail -1 | awk '{print $3}')")
  # The whole command up to the data in memory: its wall time less what came after the reading.
  ours_whole+=("$(awk -v t="$t" -v in_="$(field in)" -v r="$(field reading)" 'BEGIN { printf "%.3f", t - (in_ - r) }')")
  if $fread; then
    t=$(now); out=$(Rscript scripts/lib/fread_read.R "$file"); t=$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    freads+=("$(echo "$out" | awk '/fread_seconds/ { print $2 }')"); freads_whole+=("$t")
  fi
  theirs+=("$("$py" scripts/lib/select_baselines.py read "$file" | awk '/pandas_read_seconds/ { print $2 }')")
done
m=$(median "${ours[@]}"); p=$(median "${theirs[@]}")
echo "BENCH csv_file_mb $mb MB (10446 x $((features + 1)), written by pandas to_csv)"
echo "BENCH csv_read_seconds $m s (runs: ${ours[*]}; parsed into shared memory, 2 threads; timed in the JVM from the command's start, JIT warm-up and native load included, JVM start not)"
if $fread; then
  fr=$(median "${freads[@]}")
  echo "BENCH csv_read_fread_seconds $fr s (runs: ${freads[*]}; data.table::fread, setDTthreads(2), timed in R around fread(); R's start not)"
  echo "BENCH csv_read_ratio_memshare_over_fread $(ratio "$fr" "$m") (speed; > 1: memshare faster; goal >= 1.0)"
  mw=$(median "${ours_whole[@]}"); fw=$(median "${freads_whole[@]}")
  echo "BENCH csv_read_whole_command_seconds $mw s (runs: ${ours_whole[*]}; java -jar ... select, from exec to the data in shared memory, JVM start included)"
  echo "BENCH csv_read_fread_whole_command_seconds $fw s (runs: ${freads_whole[*]}; Rscript with library(data.table) and fread, from exec to exit)"
  echo "BENCH csv_read_whole_command_ratio_memshare_over_fread $(ratio "$fw" "$mw") (speed; > 1: memshare faster)"
fi
echo "BENCH csv_read_pandas_seconds $p s (runs: ${theirs[*]}; read_csv + to_numpy)"
echo "BENCH csv_read_mb_per_s $(awk -v a="$mb" -v b="$m" 'BEGIN { printf "%.0f", a / b }') MB/s"
echo "BENCH csv_read_pandas_mb_per_s $(awk -v a="$mb" -v b="$p" 'BEGIN { printf "%.0f", a / b }') MB/s"
echo "BENCH csv_read_ratio_memshare_over_pandas $(ratio "$p" "$m") (speed; > 1: memshare faster; goal >= 1)"
echo "BENCH csv_select_end_to_end $(median "${wall[@]}") s (read and rank $features features, 2 threads)"
echo "BENCH csv_select_max_heap 128 MiB (-Xmx; the matrix is $(awk -v f="$features" 'BEGIN { printf "%.0f", 8 * 10446 * f / 1048576 }') MiB)"
echo "BENCH csv_select_peak_heap ${heaps[*]} MiB (per run: the heap pools' peak use, uncollected garbage included)"
$case_study && exit 0
$read_only && exit 0

# ---------------------------------------------------------------- 4. beside scikit-learn
file=$(table 200 10)
heap=(-Xmx512m)
found() { head -11 "$work/out" | tail -10 | cut -f1 | grep -cxF -f "$file.planted" || true; }
select_run --csv "$file" --target class --discrete class --workers 1 --format tsv
m1=$(field ranking); f1=$(found)
select_run --csv "$file" --target class --discrete class --workers 2 --format tsv
m2=$(field ranking)
out=$("$py" scripts/lib/select_baselines.py sklearn "$file" "$file.planted")
s=$(echo "$out" | awk '/sklearn_mi_seconds/ { print $2 }')
sf=$(echo "$out" | awk '/sklearn_planted_found/ { print $2 }')
echo "BENCH mi_memshare_1_thread_10446x200 $m1 s (planted in top 10: $f1 of 10)"
echo "BENCH mi_memshare_2_threads_10446x200 $m2 s"
echo "BENCH mi_sklearn_10446x200 $s s (mutual_info_classif, one thread; planted in top 10: $sf of 10)"
echo "BENCH mi_ratio_sklearn_over_memshare_1_thread $(ratio "$s" "$m1") (time; > 1: memshare faster)"
