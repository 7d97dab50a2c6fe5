// One outer bag of an Explainable Boosting Machine, boosted end to end in C++.
//
// The loop follows interpret 0.7.8's `_boost.py::boost`: smoothing rounds (cyclic, random cuts),
// then rounds made of one cyclic pass that only refreshes every term's gain followed by
// ceil(greedy_ratio * n_terms) greedy steps that each apply the update of the term with the
// highest (lazily refreshed) gain; early stopping on the validation metric over a window of
// early_stopping_rounds * n_terms steps; the returned model is the one with the best
// validation metric.
//
// The code is split by concern: _ebm_row_blocks.hpp (fixed row blocks, threads shared by the
// bags), _ebm_booster.hpp (BagBooster: parameters, state, histograms, term updates),
// _ebm_pass.hpp (the one pass over the rows of every applied step, and the validation pass),
// this file (the cyclic / greedy loop with early stopping, and the entry points for Cython);
// split search in _ebm_split.hpp, objectives in _ebm_objectives.hpp, FAST in _ebm_fast.hpp.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

#include "_ebm_objectives.hpp"
#include "_ebm_split.hpp"
#include "_ebm_fast.hpp"
#include "_ebm_pass.hpp"

namespace gbebm {

template <class Code>
BagResult BagBooster<Code>::run(std::vector<std::vector<double>>& model) {
    BagResult res;
    const int nt = (int)T.size();
    model.resize(nt);
    for (int t = 0; t < nt; ++t) model[t].assign((size_t)T[t].n_cells * K, 0.0);
    if (nt == 0) return res;
    init_state();
    std::vector<std::vector<double>> best = model;
    std::vector<char> dirty(nt, 0);
    std::vector<int> dirty_list;

    const int64_t max_steps = P.max_rounds * nt;
    const double greedy_ratio = std::min(P.greedy_ratio, (double)P.max_rounds);
    int64_t greedy_steps = (int64_t)std::ceil(greedy_ratio * nt);
    double cyclic_progress = P.cyclic_progress;
    if (greedy_steps <= 0) { cyclic_progress = 1.0; greedy_steps = 0; }
    double cyclic_state = cyclic_progress;
    int smoothing = P.smoothing_rounds;
    const bool early = P.early_stopping_rounds > 0 && nval > 0;
    std::vector<double> circular(early ? (size_t)P.early_stopping_rounds * nt : 0, INFINITY);
    size_t circ_idx = 0;
    // minimum of the window in O(1) amortised per step (a scan of the window per step costs as
    // much as the step itself for small data with many pairs): increasing values, with times
    std::deque<std::pair<int64_t, double>> window_min;
    int64_t n_pushed = 0;
    double min_metric = INFINITY, min_prev = INFINITY;
    double best_metric = INFINITY;
    std::vector<int> order(nt);
    for (int t = 0; t < nt; ++t) order[t] = t;
    // max-heap on (gain, -tiebreak): interpret pops the smallest (-gain, random key)
    struct Entry { double gain; uint64_t tie; int term; };
    auto cmp = [](const Entry& a, const Entry& b) {
        if (a.gain != b.gain) return a.gain < b.gain;
        return a.tie > b.tie;
    };
    std::vector<Entry> heap;  // max-heap under cmp

    int64_t state = 0, step = 0;
    bool first_pass = true;
    const int batch = std::max(1, std::min(P.greedy_batch, MAX_BATCH));
    int cur[MAX_BATCH], nxt[MAX_BATCH];
    std::vector<Entry> peek;
    // the top n entries of the heap, without removing them
    auto top_terms = [&](int n, int* out) -> int {
        peek = heap;
        int m = 0;
        while (m < n && !peek.empty()) {
            std::pop_heap(peek.begin(), peek.end(), cmp);
            out[m++] = peek.back().term;
            peek.pop_back();
        }
        return m;
    };
    while (step < max_steps) {
        int n_cur = 0;
        bool progress;
        if (state >= 0) {
            if (state == 0) {
                heap.clear();
                if (first_pass || greedy_steps > 0) rng.shuffle(order.data(), nt);
                first_pass = false;
            }
            cur[n_cur++] = order[state];
            progress = cyclic_state >= 1.0 || smoothing > 0;
        } else {
            // greedy: the terms with the highest stale gains, `batch` at a time
            int want = (int)std::min<int64_t>({(int64_t)batch, -state, (int64_t)heap.size(), max_steps - step});
            for (int b = 0; b < want; ++b) {
                std::pop_heap(heap.begin(), heap.end(), cmp);
                cur[n_cur++] = heap.back().term;
                heap.pop_back();
            }
            progress = true;
        }
        for (int b = 0; b < n_cur; ++b) {
            double gain = make_update(cur[b], smoothing > 0);
            if (!std::isfinite(gain)) gain = 0.0;
            heap.push_back({gain, rng.next(), cur[b]});
            std::push_heap(heap.begin(), heap.end(), cmp);
        }

        // the state after this pass, to know which histograms to build while applying
        int64_t next_state = state + n_cur;
        if (progress) {
            int n_next = 0;
            if (P.inner_bags > 0)
                n_next = 0;  // inner bags build their own histograms (make_update)
            else if (state < 0 && next_state < 0)
                n_next = top_terms((int)std::min<int64_t>(batch, -next_state), nxt);
            else if (state >= 0 && next_state < nt)
                nxt[n_next++] = order[next_state];
            double metric = apply(cur, n_cur, nxt, n_next);
            for (int b = 0; b < n_cur; ++b) {
                const int t = cur[b];
                for (size_t c = 0; c < UPD[t].size(); ++c) model[t][c] += UPD[t][c];
                if (!dirty[t]) { dirty[t] = 1; dirty_list.push_back(t); }
            }
            step += n_cur;
            // the user callback sees every step, the one that triggers early stopping included
            if (P.step_callback != nullptr &&
                P.step_callback(P.callback_ctx, step, 1, nval > 0 ? metric : NAN)) {
                if (nval > 0 && metric < best_metric) {  // keep this step if it is the best
                    best_metric = metric;
                    for (int d : dirty_list) { best[d] = model[d]; dirty[d] = 0; }
                    dirty_list.clear();
                }
                break;
            }
            if (nval > 0) {
                if (metric < best_metric) {
                    best_metric = metric;
                    for (int d : dirty_list) { best[d] = model[d]; dirty[d] = 0; }
                    dirty_list.clear();
                }
                double tol = std::min(std::fabs(min_metric), std::fabs(min_prev)) * P.early_stopping_tolerance;
                if (!std::isfinite(tol)) tol = 0.0;
                min_metric = std::min(metric, min_metric);
                if (early && smoothing <= 0) {
                    for (int b = 0; b < n_cur; ++b) {  // the window counts steps
                        double toss = circular[circ_idx];
                        circular[circ_idx] = metric;
                        circ_idx = (circ_idx + 1) % circular.size();
                        while (!window_min.empty() && !(window_min.back().second < metric)) window_min.pop_back();
                        window_min.emplace_back(n_pushed, metric);
                        if (window_min.front().first <= n_pushed - (int64_t)circular.size()) window_min.pop_front();
                        ++n_pushed;
                        min_prev = std::min(toss, min_prev);
                    }
                    // the window still holds INFINITY until it has seen as many steps as it is long
                    double wmin = window_min.empty() ? INFINITY : window_min.front().second;
                    if (min_prev - tol <= wmin) break;
                }
            }
        }
        if (!progress && P.step_callback != nullptr && P.step_callback(P.callback_ctx, step, 0, NAN)) break;
        state = next_state;
        if (state >= nt) {
            if (smoothing > 0) {
                state = 0;
                --smoothing;
            } else {
                state = -greedy_steps;
                if (cyclic_state >= 1.0) cyclic_state -= 1.0;
                cyclic_state += cyclic_progress;
            }
        }
    }
    res.n_steps = step;
    if (nval > 0) {
        res.best_metric = best_metric;
        model.swap(best);
    }
    return res;
}

// Entry point for Cython: build the booster, run it, return the result (no Python objects).
template <class Code>
BagResult run_bag(const BoostParams& bp, const std::vector<TermSpec>& terms, const Code* codes_tr, int64_t n_tr,
                  const Code* codes_val, int64_t n_val, const double* y_tr, const double* w_tr, const double* y_val,
                  const double* w_val, double* scores_tr, double* scores_val, uint64_t seed,
                  std::vector<std::vector<double>>& model) {
    struct Running {  // counted while it boosts, also if it throws
        const bool on;
        explicit Running(bool s) : on(s) { if (on) ++running_bags(); }
        ~Running() { if (on) --running_bags(); }
    } running(bp.share_threads != 0);
    BagBooster<Code> b(bp, terms, codes_tr, n_tr, codes_val, n_val, y_tr, w_tr, y_val, w_val, scores_tr, scores_val,
                       seed);
    return b.run(model);
}

// Non-template entry points (Cython cannot instantiate a template with a fused type).
inline BagResult run_bag_codes(bool wide, const BoostParams& bp, const std::vector<TermSpec>& terms,
                               const void* codes_tr, int64_t n_tr, const void* codes_val, int64_t n_val,
                               const double* y_tr, const double* w_tr, const double* y_val, const double* w_val,
                               double* scores_tr, double* scores_val, uint64_t seed,
                               std::vector<std::vector<double>>& model) {
    if (wide)
        return run_bag<uint16_t>(bp, terms, (const uint16_t*)codes_tr, n_tr, (const uint16_t*)codes_val, n_val, y_tr,
                                 w_tr, y_val, w_val, scores_tr, scores_val, seed, model);
    return run_bag<uint8_t>(bp, terms, (const uint8_t*)codes_tr, n_tr, (const uint8_t*)codes_val, n_val, y_tr, w_tr,
                            y_val, w_val, scores_tr, scores_val, seed, model);
}

}  // namespace gbebm
