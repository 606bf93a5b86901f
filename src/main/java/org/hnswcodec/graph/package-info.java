/**
 * The HNSW algorithm itself (Malkov &amp; Yashunin, "Efficient and robust approximate nearest
 * neighbor search using Hierarchical Navigable Small World graphs", 2016/2018), with no Lucene I/O
 * in it.
 *
 * <ul>
 *   <li>{@link org.hnswcodec.graph.LevelGenerator} draws each node's top layer from the
 *       exponentially decaying distribution with {@code mL = 1/ln(M)}.
 *   <li>{@link org.hnswcodec.graph.GraphBuilder} inserts nodes: greedy descent through the layers
 *       above the node's top layer, then a beam of width efConstruction on each of its layers,
 *       neighbour selection by {@link org.hnswcodec.graph.DiversityHeuristic}, and back-links with
 *       pruning.
 *   <li>{@link org.hnswcodec.graph.BeamSearcher} runs the layered search both for insertion and for
 *       queries: greedy descent, then a best-first beam on the bottom layer.
 *   <li>{@link org.hnswcodec.graph.OnHeapGraph} holds a graph while it is built; anything that can
 *       list a node's neighbours on a layer is a {@link org.hnswcodec.graph.LayeredGraph}, which is
 *       how the on-disk graph of {@code org.hnswcodec.disk} is searched with the same code.
 * </ul>
 *
 * <p>Distances come in as similarity scores (higher is closer) through Lucene's {@link
 * org.apache.lucene.util.hnsw.RandomVectorScorer}, so the raw or quantized vectors can live in any
 * flat vector format.
 */
package org.hnswcodec.graph;
