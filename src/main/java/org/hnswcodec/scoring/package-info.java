/**
 * Vector comparisons of our own where Lucene's cost too much: SIMD kernels that compare a vector
 * with a batch of others at once, and the scorer supplier that uses them to build graphs from the
 * vectors a flush holds on the heap.
 */
package org.hnswcodec.scoring;
