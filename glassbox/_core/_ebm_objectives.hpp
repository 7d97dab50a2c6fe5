// Objectives of the EBM booster: per-row gradient, hessian and loss (weights applied by callers).
//
// log_loss (logit), multiclass (softmax), rmse, poisson / tweedie / gamma deviance (log link) and
// the pinball loss of `quantile` (gradient only, the weight as hessian, as LightGBM does).
#pragma once
#include <algorithm>
#include <cmath>

namespace gbebm {

enum Objective { LOG_LOSS = 0, MULTICLASS = 1, RMSE = 2, POISSON = 3, TWEEDIE = 4, GAMMA = 5, QUANTILE = 6 };


// Per-row gradient / hessian of every objective (weights applied by the caller).
inline void row_grad(int obj, double q, const double* s, double y, double* g, double* h, int K) {
    switch (obj) {
        case LOG_LOSS: {
            double p = 1.0 / (1.0 + std::exp(-s[0]));
            g[0] = p - y;
            h[0] = p * (1.0 - p);
            break;
        }
        case MULTICLASS: {
            double m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
            double z = 0.0;
            for (int k = 0; k < K; ++k) z += std::exp(s[k] - m);
            for (int k = 0; k < K; ++k) {
                double p = std::exp(s[k] - m) / z;
                g[k] = p - (k == (int)y ? 1.0 : 0.0);
                h[k] = p * (1.0 - p);
            }
            break;
        }
        case RMSE: g[0] = s[0] - y; h[0] = 1.0; break;
        case POISSON: { double mu = std::exp(s[0]); g[0] = mu - y; h[0] = mu; break; }
        case TWEEDIE: {
            double a = y * std::exp((1.0 - q) * s[0]), b = std::exp((2.0 - q) * s[0]);
            g[0] = b - a;
            h[0] = (2.0 - q) * b - (1.0 - q) * a;
            break;
        }
        case GAMMA: { double r = y * std::exp(-s[0]); g[0] = 1.0 - r; h[0] = r; break; }
        case QUANTILE: g[0] = y > s[0] ? -q : (y < s[0] ? 1.0 - q : 0.0); h[0] = 1.0; break;
    }
}

// Per-row loss (validation metric, before weighting): log loss, squared error, deviances, pinball.
inline double row_loss(int obj, double q, const double* s, double y, int K) {
    switch (obj) {
        case LOG_LOSS: {
            double z = s[0];
            double l = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
            return l - y * z;
        }
        case MULTICLASS: {
            double m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
            double z = 0.0;
            for (int k = 0; k < K; ++k) z += std::exp(s[k] - m);
            return m + std::log(z) - s[(int)y];
        }
        case RMSE: { double d = s[0] - y; return d * d; }
        case POISSON: {
            double mu = std::exp(s[0]);
            return 2.0 * ((y > 0 ? y * (std::log(y) - s[0]) : 0.0) - (y - mu));
        }
        case TWEEDIE: {
            double a = y > 0 ? std::pow(y, 2.0 - q) / ((1.0 - q) * (2.0 - q)) : 0.0;
            return 2.0 * (a - y * std::exp((1.0 - q) * s[0]) / (1.0 - q) + std::exp((2.0 - q) * s[0]) / (2.0 - q));
        }
        case GAMMA: {
            double ly = std::log(y);
            return 2.0 * (s[0] - ly + y * std::exp(-s[0]) - 1.0);
        }
        case QUANTILE: { double d = y - s[0]; return d >= 0 ? q * d : (q - 1.0) * d; }
    }
    return 0.0;
}

}  // namespace gbebm
