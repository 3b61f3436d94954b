// The 512-point grid of a continuous variable and its bins (MUTUALINFO.md section 1).
#include <cmath>

#include "mutualinfo_detail.hpp"

namespace memshare::mi {

Grid make_grid(double min, double max, double radius) {
    Grid grid;
    const double a = min - radius;
    const double b = max + radius;
    // seq(a, b, length.out = 512): c(from, from + (1:510) * by, to).
    grid.step = (b - a) / (kGridSize - 1);
    grid.g[0] = a;
    for (int i = 1; i < kGridSize - 1; ++i) grid.g[i] = a + i * grid.step;
    grid.g[kGridSize - 1] = b;
    double diffs[kGridSize - 1];
    for (int i = 0; i < kGridSize - 1; ++i) diffs[i] = grid.g[i + 1] - grid.g[i];
    grid.dx = r_mean(diffs, kGridSize - 1);
    for (int i = 0; i < kGridSize - 1; ++i) grid.e[i] = (grid.g[i] + grid.g[i + 1]) / 2;
    return grid;
}

int Grid::bin(double v) const {
    // Guess from the step, then settle exactly against the edges.
    const double t = (v - g[0]) / step + 0.5;
    int b = t <= 0 ? 0 : t >= kGridSize - 1 ? kGridSize - 1 : static_cast<int>(t);
    while (b > 0 && v < e[b - 1]) --b;
    while (b < kGridSize - 1 && v >= e[b]) ++b;
    return b;
}

}  // namespace memshare::mi
