/**
 * The Lucene side: {@link org.hnswcodec.codec.HnswCodecVectorsFormat}, the {@code KnnVectorsFormat}
 * registered by name, whose writer builds a graph per field at flush and at merge (for segments of
 * at least {@code minGraphSize} vectors) and whose reader answers kNN searches from it, or by
 * scoring every vector where a segment has no graph; {@link
 * org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat}, the same graphs searched over
 * scalar-quantized vectors; and {@link org.hnswcodec.codec.HnswCodec}, Lucene's default codec with
 * a format of ours for every vector field.
 */
package org.hnswcodec.codec;
