# OpenMP helpers usable without OpenMP: every call falls back to one thread.
cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define GB_OMP_MAX_THREADS() omp_get_max_threads()
    #else
    #define GB_OMP_MAX_THREADS() 1
    #endif
    """
    int GB_OMP_MAX_THREADS() nogil
