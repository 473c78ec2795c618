#!/usr/bin/env bash
# The transfer part of an MPI training step on this machine, without the model: N ranks (default 2) gather, as
# FastModel does every step, each rank's share of the seed CNN's exchange at batch 250 (docs/mpi.md: the 18,816
# convolutional parameters plus 2,124 floats per row of its 250/N rows), REPEATS times (default 200), and rank 0
# prints the median and minimum time per gather. Needs MPICH (mpicc, mpiexec.mpich). Usage: scripts/mpi-allgather.sh [N] [REPEATS]
set -euo pipefail
ranks="${1:-2}" repeats="${2:-200}"
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
cat > "$dir/allgather.c" <<'C'
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size, repeats = atoi(argv[1]);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank); MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int conv = 18816, perRow = 2124, batch = 250, chunks = (batch + 7) / 8;
  int leaves = 1; while (leaves < chunks || leaves < size) leaves *= 2;
  int *counts = malloc(size * sizeof(int)), *displs = malloc(size * sizeof(int)), total = 0;
  for (int q = 0; q < size; q++) {   /* rank q's chunks: its aligned subtree of the pairwise tree */
    int per = leaves / size, first = q * per < chunks ? q * per : chunks, end = first + per < chunks ? first + per : chunks;
    int rows = (end * 8 < batch ? end * 8 : batch) - (first * 8 < batch ? first * 8 : batch);
    counts[q] = (first < end ? conv : 0) + rows * perRow; displs[q] = total; total += counts[q];
  }
  float *mine = calloc(counts[rank], sizeof(float)), *all = calloc(total, sizeof(float));
  double *t = malloc(repeats * sizeof(double));
  for (int i = 0; i < 10; i++) MPI_Allgatherv(mine, counts[rank], MPI_FLOAT, all, counts, displs, MPI_FLOAT, MPI_COMM_WORLD);
  for (int i = 0; i < repeats; i++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double s = MPI_Wtime();
    MPI_Allgatherv(mine, counts[rank], MPI_FLOAT, all, counts, displs, MPI_FLOAT, MPI_COMM_WORLD);
    t[i] = MPI_Wtime() - s;
  }
  qsort(t, repeats, sizeof(double), cmp);
  if (rank == 0)
    printf("%d ranks: rank 0 sends %.3f MB, every rank receives %.3f MB; one gather: median %.3f ms, min %.3f ms (%d repeats)\n",
           size, counts[0] * 4e-6, total * 4e-6, t[repeats / 2] * 1e3, t[0] * 1e3, repeats);
  MPI_Finalize();
  return 0;
}
C
mpicc -O2 -o "$dir/allgather" "$dir/allgather.c"
mpiexec.mpich -n "$ranks" "$dir/allgather" "$repeats"
