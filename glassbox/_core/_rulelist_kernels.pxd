# C++ kernels and storage of the rule-list search (headers next to this file).
from libc.stdint cimport uint64_t, int64_t, int32_t
from libcpp.vector cimport vector
from libcpp.utility cimport pair


cdef extern from "_rulelist_count.hpp" nogil:
    ctypedef struct RLTables:
        int n_tables
        int n_words
        int integral
        const double* group_weight
        const uint64_t* ent_bits
        const int32_t* ent_word
        const int32_t* ent_shift
        const int64_t* table_entry_start
    double gb_rl_now()
    int gb_rl_ctz(uint64_t x)
    void gb_rl_rule_pass(const RLTables* tb, const uint64_t* U, const uint64_t* caps,
                         const int32_t* rule_ids, int n_rules, double* out, uint64_t* S,
                         double skip_below)
    void gb_rl_count_set(const RLTables* tb, const uint64_t* U, double* out, uint64_t* S)
    cdef cppclass RLBlocked:
        int n_rules
    void gb_rl_block_prepare(RLBlocked* bl, const uint64_t* caps, const int32_t* rule_ids,
                             int n_rules, int W) except +
    int gb_rl_block_usable(const RLTables* tb)
    int gb_rl_block_pass(const RLTables* tb, const uint64_t* U, const RLBlocked* bl,
                         double* out, uint64_t* scratch, double top_min, double tot_min,
                         double tot_max, int32_t* usable)
    uint64_t gb_rl_hash(const uint64_t* a, int W)

cdef extern from "_rulelist_store.hpp" nogil:
    cdef struct RLNode:
        double g
        double h
        double key
        int32_t parent
        int32_t rule
    cdef cppclass RLOpen:
        void reserve(size_t) except +
        bint empty()
        size_t size()
        pair_t& top()
        void push(double, int32_t) except +
        void pop()
    cdef cppclass RLTable:
        uint64_t* slot
        uint64_t mask
        int64_t capacity
        int init(int64_t)
    cdef cppclass pair_t "RLEntry":
        double first
        int32_t second
    cdef cppclass RLStates:
        vector[RLNode] nodes
        RLTable table
        RLOpen queue
        int64_t n_duplicates, n_reopened
        void init(const uint64_t* root, const uint64_t* caps, int W) except +
        void uncaptured(int32_t i, uint64_t* out, vector[int32_t]& chain)
        void offer(int32_t parent, int32_t rule, double g2, double h2, const uint64_t* U2,
                   double tol, bint open) except +

cdef extern from "_rulelist_gains.hpp" nogil:
    enum: RL_TOP_K
    cdef cppclass RLGains:
        vector[double] counts, totS, xmax, ymax
        vector[int32_t] viable
        RLBlocked blocked
        bint use_blocked
        void init(int n_rules, int n_classes, int W) except +
        void start_blocked(int n_rules, int W) except +
        int run(const RLTables* tb, const uint64_t* U, const double* cU, const uint64_t* caps,
                const int32_t* rules, int n_rules, int n_candidates, double reg, double tol,
                double budget)
        double lookahead(const double* errs, const double* first, double eqmin, double reg)

cdef extern from "_rulelist_beam.hpp" nogil:
    int gb_rl_beam(const RLTables* tb, const uint64_t* root, const uint64_t* caps,
                   const int32_t* rules, int n_rules, int n_candidates, RLGains& gains,
                   double reg, double tol, int width, double t0, double time_limit,
                   double& best, vector[int32_t]& incumbent) except +

cdef extern from "_rulelist_cores.hpp" nogil:
    cdef cppclass RLCores:
        int W
        int size()
        int add(const uint64_t* v, double ex, const double* rarity)
        void set_rules(const uint64_t* caps, int n_rules)
        double contained(const int32_t* prefix, int k, vector[int32_t]& here, int max_here,
                         double min_excess)
        double disjoint(const vector[int32_t]& here, int32_t r)
    cdef cppclass RLCoreProblem:
        vector[uint64_t] caps
        uint64_t root
        RLTables tb
        int build(const RLTables* parent, const uint64_t* V, int W, const uint64_t* rule_caps,
                  const int32_t* rules, int n_rules) except +
    void gb_rl_pick_core(const uint64_t* U, int W, const double* weight, const double* freq,
                         double n_freq, double alpha, int m, uint64_t* V,
                         vector[pair[double, int32_t]]& scratch) except +

cdef extern from "_rulelist_polish.hpp" nogil:
    cdef cppclass RLPolish:
        int64_t n_evals
        void init(int W, int T) except +
        double run(const RLTables* tb, const uint64_t* root, const uint64_t* caps,
                   const int32_t* rules, int n_rules, double reg, double tol,
                   vector[int32_t]& lst, double cur, int max_sweeps) except +

cdef extern from "_rulelist_siblings.hpp" nogil:
    cdef cppclass RLSiblings:
        bint built
        int64_t n_lookups, n_found
        void init(const uint64_t* caps, int n_rules, int W) except +
        void build(const double* counts, int T, const double* totS, const int32_t* viable,
                   int nv, const int32_t* rules) except +
        bint dominated(int32_t r, double e, double t, double eq_r, double g_r,
                       const uint64_t* U, const uint64_t* caps, int W, double eps,
                       double slack, RLStates& st) except +


cdef inline RLTables gb_rl_tables(int W, bint integral, const uint64_t[::1] ent_bits,
                                  const int32_t[::1] ent_word, const int32_t[::1] ent_shift,
                                  const int64_t[::1] table_entry_start,
                                  const double[:, ::1] group_weight, int n_classes):
    """The weight tables of ``glassbox.rules._problem.weight_tables`` as the kernels see
    them (pointers into the arrays, which must outlive the result)."""
    cdef RLTables tb
    tb.n_tables = n_classes + 1
    tb.n_words = W
    tb.integral = integral
    tb.group_weight = &group_weight[0, 0]
    tb.ent_bits = &ent_bits[0]
    tb.ent_word = &ent_word[0]
    tb.ent_shift = &ent_shift[0]
    tb.table_entry_start = &table_entry_start[0]
    return tb
