package org.hnswcodec.scoring;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels that compare one query with four or eight float vectors at once. Lucene's {@code
 * VectorUtil} compares two vectors per call: its one chain of dependent multiply-adds, and its
 * wait for each vector in turn, leave the core idle most of the time when the vectors are
 * scattered over a segment's worth of heap, as they are for the neighbours a graph insertion
 * scores. Several independent accumulators keep the loads and the arithmetic overlapped: on SIFT
 * (128-d) a vector costs about 30 ns this way against 55 one at a time (the README's
 * ScoringBenchmark). Cosine needs no kernel of its own: its caller divides a dot product by norms
 * it computed once.
 *
 * <p>The kernels are written out, accumulator by accumulator, for each width: held in an array or
 * filled in a loop, the vectors would not stay in registers and the JIT would box them.
 *
 * <p>This is the only class that touches {@code jdk.incubator.vector}: load it only when {@link
 * SimdSupport#ENABLED}. The dimension must be a multiple of {@link #lanes()}; the kernels take no
 * scalar tail.
 */
final class FloatKernels {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private FloatKernels() {}

  /** Floats per vector register. */
  static int lanes() {
    return SPECIES.length();
  }

  /** Squared euclidean distances from {@code query} to {@code batch[0..8)}, into {@code out}. */
  static void squareDistances8(float[] query, float[][] batch, float[] out) {
    float[] v0 = batch[0], v1 = batch[1], v2 = batch[2], v3 = batch[3];
    float[] v4 = batch[4], v5 = batch[5], v6 = batch[6], v7 = batch[7];
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
    FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int i = 0; i < query.length; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      FloatVector d0 = q.sub(FloatVector.fromArray(SPECIES, v0, i));
      FloatVector d1 = q.sub(FloatVector.fromArray(SPECIES, v1, i));
      FloatVector d2 = q.sub(FloatVector.fromArray(SPECIES, v2, i));
      FloatVector d3 = q.sub(FloatVector.fromArray(SPECIES, v3, i));
      FloatVector d4 = q.sub(FloatVector.fromArray(SPECIES, v4, i));
      FloatVector d5 = q.sub(FloatVector.fromArray(SPECIES, v5, i));
      FloatVector d6 = q.sub(FloatVector.fromArray(SPECIES, v6, i));
      FloatVector d7 = q.sub(FloatVector.fromArray(SPECIES, v7, i));
      a0 = d0.fma(d0, a0);
      a1 = d1.fma(d1, a1);
      a2 = d2.fma(d2, a2);
      a3 = d3.fma(d3, a3);
      a4 = d4.fma(d4, a4);
      a5 = d5.fma(d5, a5);
      a6 = d6.fma(d6, a6);
      a7 = d7.fma(d7, a7);
    }
    out[0] = sum(a0);
    out[1] = sum(a1);
    out[2] = sum(a2);
    out[3] = sum(a3);
    out[4] = sum(a4);
    out[5] = sum(a5);
    out[6] = sum(a6);
    out[7] = sum(a7);
  }

  /** As {@link #squareDistances8} for {@code batch[0..4)}. */
  static void squareDistances4(float[] query, float[][] batch, float[] out) {
    float[] v0 = batch[0], v1 = batch[1], v2 = batch[2], v3 = batch[3];
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < query.length; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      FloatVector d0 = q.sub(FloatVector.fromArray(SPECIES, v0, i));
      FloatVector d1 = q.sub(FloatVector.fromArray(SPECIES, v1, i));
      FloatVector d2 = q.sub(FloatVector.fromArray(SPECIES, v2, i));
      FloatVector d3 = q.sub(FloatVector.fromArray(SPECIES, v3, i));
      a0 = d0.fma(d0, a0);
      a1 = d1.fma(d1, a1);
      a2 = d2.fma(d2, a2);
      a3 = d3.fma(d3, a3);
    }
    out[0] = sum(a0);
    out[1] = sum(a1);
    out[2] = sum(a2);
    out[3] = sum(a3);
  }

  /** Dot products of {@code query} with {@code batch[0..8)}, into {@code out}. */
  static void dotProducts8(float[] query, float[][] batch, float[] out) {
    float[] v0 = batch[0], v1 = batch[1], v2 = batch[2], v3 = batch[3];
    float[] v4 = batch[4], v5 = batch[5], v6 = batch[6], v7 = batch[7];
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
    FloatVector a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int i = 0; i < query.length; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      a0 = q.fma(FloatVector.fromArray(SPECIES, v0, i), a0);
      a1 = q.fma(FloatVector.fromArray(SPECIES, v1, i), a1);
      a2 = q.fma(FloatVector.fromArray(SPECIES, v2, i), a2);
      a3 = q.fma(FloatVector.fromArray(SPECIES, v3, i), a3);
      a4 = q.fma(FloatVector.fromArray(SPECIES, v4, i), a4);
      a5 = q.fma(FloatVector.fromArray(SPECIES, v5, i), a5);
      a6 = q.fma(FloatVector.fromArray(SPECIES, v6, i), a6);
      a7 = q.fma(FloatVector.fromArray(SPECIES, v7, i), a7);
    }
    out[0] = sum(a0);
    out[1] = sum(a1);
    out[2] = sum(a2);
    out[3] = sum(a3);
    out[4] = sum(a4);
    out[5] = sum(a5);
    out[6] = sum(a6);
    out[7] = sum(a7);
  }

  /** As {@link #dotProducts8} for {@code batch[0..4)}. */
  static void dotProducts4(float[] query, float[][] batch, float[] out) {
    float[] v0 = batch[0], v1 = batch[1], v2 = batch[2], v3 = batch[3];
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < query.length; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      a0 = q.fma(FloatVector.fromArray(SPECIES, v0, i), a0);
      a1 = q.fma(FloatVector.fromArray(SPECIES, v1, i), a1);
      a2 = q.fma(FloatVector.fromArray(SPECIES, v2, i), a2);
      a3 = q.fma(FloatVector.fromArray(SPECIES, v3, i), a3);
    }
    out[0] = sum(a0);
    out[1] = sum(a1);
    out[2] = sum(a2);
    out[3] = sum(a3);
  }

  private static float sum(FloatVector v) {
    return v.reduceLanes(VectorOperators.ADD);
  }
}
