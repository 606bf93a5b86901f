/**
 * The graph on disk: how an {@link org.hnswcodec.graph.OnHeapGraph} is laid out in the graph data
 * file and described in the metadata file ({@link org.hnswcodec.disk.GraphWriter}), and how a
 * search walks it straight from the {@link org.apache.lucene.store.IndexInput} without loading it
 * ({@link org.hnswcodec.disk.OffHeapGraph}). The byte layout is documented on {@link
 * org.hnswcodec.codec.HnswCodecVectorsFormat}.
 */
package org.hnswcodec.disk;
