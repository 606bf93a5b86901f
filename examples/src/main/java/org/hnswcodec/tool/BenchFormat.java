package org.hnswcodec.tool;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecScalarQuantizedVectorsFormat;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.search.EfSearchStrategy;

/**
 * The two vector formats the bench compares, each with its codec and with how its users search with
 * a given ef (efSearch). With an encoding, each is its scalar-quantized variant: {@link
 * HnswCodecScalarQuantizedVectorsFormat} against Lucene's {@link
 * Lucene104HnswScalarQuantizedVectorsFormat}, both quantizing the same way.
 */
enum BenchFormat {
  /** This project's format; ef is passed with {@link EfSearchStrategy} and k stays k. */
  HNSW_CODEC(HnswCodecVectorsFormat.NAME) {
    @Override
    Codec codec(
        int maxConn, int efConstruction, BuildWorkers workers, ScalarEncoding quantized) {
      if (quantized != null) {
        return new HnswCodec(
            new HnswCodecScalarQuantizedVectorsFormat(
                quantized,
                maxConn,
                efConstruction,
                HnswCodecVectorsFormat.DEFAULT_EF,
                workers.count(),
                workers.pool(),
                HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE));
      }
      return new HnswCodec(
          new HnswCodecVectorsFormat(
              maxConn,
              efConstruction,
              HnswCodecVectorsFormat.DEFAULT_EF,
              workers.count(),
              workers.pool()));
    }

    @Override
    int hits(int k, int ef) {
      return k;
    }

    @Override
    KnnSearchStrategy strategy(int ef, int filteredSearchThreshold) {
      return new EfSearchStrategy(ef, filteredSearchThreshold);
    }
  },

  /**
   * Lucene's HNSW format, which has no ef of its own: its users ask for k' = max(k, ef) results and
   * keep the top k.
   */
  LUCENE99("Lucene99Hnsw") {
    @Override
    Codec codec(
        int maxConn, int efConstruction, BuildWorkers workers, ScalarEncoding quantized) {
      // Lucene's default codec, so that the index reopens by name through SPI.
      KnnVectorsFormat format =
          quantized == null
              ? new Lucene99HnswVectorsFormat(
                  maxConn, efConstruction, workers.count(), workers.pool())
              : new Lucene104HnswScalarQuantizedVectorsFormat(
                  quantized, maxConn, efConstruction, workers.count(), workers.pool());
      return new Lucene104Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return format;
        }
      };
    }

    @Override
    int hits(int k, int ef) {
      return Math.max(k, ef);
    }

    @Override
    KnnSearchStrategy strategy(int ef, int filteredSearchThreshold) {
      return new KnnSearchStrategy.Hnsw(filteredSearchThreshold);
    }
  };

  private final String label;

  BenchFormat(String label) {
    this.label = label;
  }

  /**
   * The codec that writes this format for every vector field, building with these workers.
   *
   * @param quantized the scalar encoding of the quantized variant, or null for float vectors
   */
  abstract Codec codec(
      int maxConn, int efConstruction, BuildWorkers workers, ScalarEncoding quantized);

  /** How many hits a query with this k and ef asks each segment for. */
  abstract int hits(int k, int ef);

  /**
   * The search strategy of a query with this ef.
   *
   * @param filteredSearchThreshold Lucene's {@link KnnSearchStrategy.Hnsw} threshold, in percent
   *     of the documents, below which a filtered search uses Lucene's filtered graph walk
   */
  abstract KnnSearchStrategy strategy(int ef, int filteredSearchThreshold);

  /**
   * The query a user runs for the k nearest with this ef, restricted to {@code filter}'s documents
   * unless it is null; search it for the top k ({@code searcher.search(query, k)}).
   */
  Query query(
      String field, float[] target, int k, int ef, Query filter, int filteredSearchThreshold) {
    return new KnnFloatVectorQuery(
        field, target, hits(k, ef), filter, strategy(ef, filteredSearchThreshold));
  }

  /** A collector for one segment's search with this k and ef, to read the visited count from. */
  TopKnnCollector visitCountingCollector(
      int k, int ef, int visitLimit, int filteredSearchThreshold) {
    return new TopKnnCollector(hits(k, ef), visitLimit, strategy(ef, filteredSearchThreshold));
  }

  @Override
  public String toString() {
    return label;
  }
}
