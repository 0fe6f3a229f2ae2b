# The charts of bench/compare, from the data files bench/compare_report.py writes.
#
#   gnuplot -e "data='DIR'; charts='DIR'" bench/charts.gp
#
# signing.png (µs per operation, log scale), api.png (requests/s), store.png (MB/s),
# store-4k.png (4 KiB GETs, requests/s). Each data line: a quoted row label, then one median per
# column; "-" where a column was not measured.
set terminal pngcairo size 960,540 font "DejaVu Sans,11" noenhanced
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key below horizontal center
set grid ytics
set xtics nomirror
set ytics nomirror
set border 3
set yrange [0:*]

set output charts."/signing.png"
set title "Signing one presigned request (median µs per operation, log scale; lower is better)"
set logscale y 10
set yrange [0.1:*]
set ylabel "µs per operation"
plot data."/signing.dat" using 2:xtic(1) title "presign" lc rgb "#1b7837", \
     '' using 3 title "botocore" lc rgb "#3182bd", \
     '' using 4 title "@aws-sdk (Node)" lc rgb "#e6550d", \
     '' using 5 title "aws4 (Node)" lc rgb "#756bb1"
unset logscale y
set yrange [0:*]

set output charts."/api.png"
set title "API: presigned URLs over HTTP (median requests/s; higher is better)"
set ylabel "requests/s"
plot data."/api.dat" using 2:xtic(1) title "presign serve" lc rgb "#1b7837", \
     '' using 3 title "Flask + boto3" lc rgb "#3182bd", \
     '' using 4 title "Node" lc rgb "#fdae6b", \
     '' using 5 title "Node cluster (2)" lc rgb "#e6550d", \
     '' using 6 title "nginx static 4 KiB (ceiling)" lc rgb "#969696"

set output charts."/store.png"
set title "Store throughput (median MB/s; higher is better; RGW on memstore: PUT not durable)"
set ylabel "MB/s"
plot data."/store.dat" using 2:xtic(1) title "presign store" lc rgb "#1b7837", \
     '' using 3 title "nginx" lc rgb "#969696", \
     '' using 4 title "Ceph RGW (memstore)" lc rgb "#d62728"

set output charts."/store-4k.png"
set terminal pngcairo size 640,480 font "DejaVu Sans,11" noenhanced
set output charts."/store-4k.png"
set title "4 KiB presigned GETs, 32 connections (median requests/s)"
set ylabel "requests/s"
plot data."/store-4k.dat" using 2:xtic(1) title "presign store" lc rgb "#1b7837", \
     '' using 3 title "nginx" lc rgb "#969696", \
     '' using 4 title "Ceph RGW" lc rgb "#d62728"
