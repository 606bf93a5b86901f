package org.hnswcodec.tool;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopKnnCollector;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.search.EfSearchStrategy;

/**
 * The two vector formats the bench compares, each with its codec and with how its users search with
 * a given ef (efSearch).
 */
enum BenchFormat {
  /** This project's format; ef is passed with {@link EfSearchStrategy} and k stays k. */
  HNSW_CODEC(HnswCodecVectorsFormat.NAME) {
    @Override
    Codec codec(int maxConn, int efConstruction, BuildWorkers workers) {
      return new HnswCodec(
          new HnswCodecVectorsFormat(
              maxConn,
              efConstruction,
              HnswCodecVectorsFormat.DEFAULT_EF,
              workers.count(),
              workers.pool()));
    }

    @Override
    Query query(String field, float[] target, int k, int ef, Query filter) {
      return new KnnFloatVectorQuery(field, target, k, filter, new EfSearchStrategy(ef));
    }

    @Override
    TopKnnCollector visitCountingCollector(int k, int ef, int visitLimit) {
      return new TopKnnCollector(k, visitLimit, new EfSearchStrategy(ef));
    }
  },

  /**
   * Lucene's HNSW format, which has no ef of its own: its users ask for k' = max(k, ef) results and
   * keep the top k.
   */
  LUCENE99("Lucene99Hnsw") {
    @Override
    Codec codec(int maxConn, int efConstruction, BuildWorkers workers) {
      // Lucene's default codec, so that the index reopens by name through SPI.
      KnnVectorsFormat format =
          new Lucene99HnswVectorsFormat(
              maxConn, efConstruction, workers.count(), workers.pool());
      return new Lucene104Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return format;
        }
      };
    }

    @Override
    Query query(String field, float[] target, int k, int ef, Query filter) {
      return new KnnFloatVectorQuery(field, target, Math.max(k, ef), filter);
    }

    @Override
    TopKnnCollector visitCountingCollector(int k, int ef, int visitLimit) {
      return new TopKnnCollector(Math.max(k, ef), visitLimit);
    }
  };

  private final String label;

  BenchFormat(String label) {
    this.label = label;
  }

  /** The codec that writes this format for every vector field, building with these workers. */
  abstract Codec codec(int maxConn, int efConstruction, BuildWorkers workers);

  /**
   * The query a user runs for the k nearest with this ef; search it for the top k ({@code
   * searcher.search(query, k)}).
   */
  /** The query its users would run, restricted to {@code filter}'s documents unless it is null. */
  abstract Query query(String field, float[] target, int k, int ef, Query filter);

  /** A collector for one segment's search with this k and ef, to read the visited count from. */
  abstract TopKnnCollector visitCountingCollector(int k, int ef, int visitLimit);

  @Override
  public String toString() {
    return label;
  }
}
