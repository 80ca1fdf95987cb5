#!/usr/bin/env bash
# plot.sh RESULTS.csv > results.svg: wall time against N for each scenario of Benchmarks/run.sh, both
# axes logarithmic, one coloured line per scenario (baselines dashed), each target a hollow diamond in its
# scenario's colour at the time it allows (a ratio target at ratio x its baseline's time): a point under its
# diamond is met. Hand-written SVG, no plotting library.
set -euo pipefail
awk -F, '
NR == 1 { next }
$3 == "-" || $3 == "" { next }
{
    key = $1
    if (!(key in seen)) { seen[key] = ++count; names[count] = key }
    i = seen[key]; points[i] = points[i] " " $2 ":" $3
    if (minN == "" || $2 + 0 < minN) minN = $2 + 0
    if ($2 + 0 > maxN) maxN = $2 + 0
    if (minT == "" || $3 + 0 < minT) minT = $3 + 0
    if ($3 + 0 > maxT) maxT = $3 + 0
    # The target as a time: "<= 5 s", "<= 10 s; <= 2 GB" (its first part), or "<= 3x" of the baseline.
    if ($10 ~ /^<= [0-9.]+ s/) { split($10, tp, " "); goal = tp[2] + 0 }
    else if ($10 ~ /^<= [0-9.]+x$/ && $8 != "-") { goal = substr($10, 4) * $8 }
    else goal = ""
    if (goal != "") { targets[i] = targets[i] " " $2 ":" goal; if (goal > maxT) maxT = goal }
}
function lg(x) { return log(x) / log(10) }
function px(n) { return left + (lg(n) - lx0) / (lx1 - lx0) * width }
function py(t) { return top + height - (lg(t) - ly0) / (ly1 - ly0) * height }
END {
    left = 70; top = 30; width = 560; height = 360
    if (minT <= 0) minT = 0.01
    # Sizes a hair over a power of ten (dedupe-bench resolves 1,000,137 records for 1,000,000) end the axis there.
    lx0 = int(lg(minN)); lx1 = lg(maxN) - 0.01 > int(lg(maxN)) ? int(lg(maxN)) + 1 : int(lg(maxN)); if (lx1 == lx0) lx1 = lx0 + 1
    ly0 = lg(minT) < 0 ? int(lg(minT)) - 1 : int(lg(minT)); ly1 = int(lg(maxT)) + 1
    split("#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #7f7f7f", colours, " ")
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"440\" font-family=\"sans-serif\" font-size=\"12\">\n"
    printf "<rect width=\"900\" height=\"440\" fill=\"white\"/>\n"
    printf "<text x=\"%d\" y=\"18\" font-size=\"14\">ldap-sync benchmarks: wall time against N (log-log)</text>\n", left
    for (e = ly0; e <= ly1; e++) {
        y = py(10 ^ e)
        printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y, left + width, y
        printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g s</text>\n", left - 6, y + 4, 10 ^ e
    }
    for (e = lx0; e <= lx1; e++) {
        x = px(10 ^ e)
        printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, top, x, top + height
        printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x, top + height + 16, 10 ^ e
    }
    printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">N (parents or records)</text>\n", left + width / 2, top + height + 34
    printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n", left, top, width, height
    for (i = 1; i <= count; i++) {
        colour = colours[(i - 1) % 9 + 1]
        dash = names[i] ~ /^baseline/ ? " stroke-dasharray=\"5,4\"" : ""
        n = split(points[i], p, " "); path = ""
        for (j = 1; j <= n; j++) {
            split(p[j], nt, ":"); if (nt[2] <= 0) nt[2] = minT
            path = path sprintf("%s%.1f,%.1f", j == 1 ? "" : " ", px(nt[1]), py(nt[2]))
            printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px(nt[1]), py(nt[2]), colour
        }
        printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", path, colour, dash
        n = split(targets[i], p, " ")
        for (j = 1; j <= n; j++) {
            split(p[j], nt, ":"); x = px(nt[1]); y = py(nt[2])
            printf "<path d=\"M%.1f,%.1f l6,6 l-6,6 l-6,-6 z\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"><title>%s target at %s: %g s</title></path>\n", x, y - 6, colour, names[i], nt[1], nt[2]
        }
        ly = top + 10 + (i - 1) * 20
        printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", left + width + 20, ly, left + width + 44, ly, colour, dash
        printf "<text x=\"%d\" y=\"%d\">%s</text>\n", left + width + 50, ly + 4, names[i]
    }
    ly = top + 10 + count * 20
    printf "<path d=\"M%d,%d l6,6 l-6,6 l-6,-6 z\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\"/>\n", left + width + 32, ly - 6
    printf "<text x=\"%d\" y=\"%d\">target (met by a point under it)</text>\n", left + width + 50, ly + 4
    printf "</svg>\n"
}' "$1"
