/**
 * Where a query meets the graph. {@link org.hnswcodec.search.EfSearchStrategy} carries a per-query
 * ef through Lucene's stock {@code KnnFloatVectorQuery} and {@code KnnByteVectorQuery} (or use
 * {@link org.hnswcodec.search.EfKnnFloatVectorQuery} and {@link
 * org.hnswcodec.search.EfKnnByteVectorQuery}); {@link org.hnswcodec.search.GraphSearch} runs one
 * segment's search for Lucene's {@code KnnCollector}, honouring k, the visit limit, the filter,
 * seeds and the minimum competitive score.
 */
package org.hnswcodec.search;
