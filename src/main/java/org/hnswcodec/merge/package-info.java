/**
 * Where segments merge: {@link org.hnswcodec.merge.GraphMerger} builds the merged segment's graph,
 * starting from the graph of the largest merging segment that can be reused ({@link
 * org.hnswcodec.merge.ReusableGraphs}) and inserting only the other segments' vectors.
 */
package org.hnswcodec.merge;
