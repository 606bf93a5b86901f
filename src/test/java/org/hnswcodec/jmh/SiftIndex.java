package org.hnswcodec.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.codec.HnswCodec;
import org.hnswcodec.codec.HnswCodecVectorsFormat;
import org.hnswcodec.scoring.HeapByteScorerSupplier;
import org.hnswcodec.scoring.HeapFloatScorerSupplier;
import org.hnswcodec.testutil.VectorSet;

/**
 * What the benchmarks share: the graph parameters, the scorers over the bundled SIFT vectors, and a
 * one-segment index of those vectors in a temporary {@link MMapDirectory}, written with our format
 * or with Lucene's for comparison.
 *
 * <p>The SIFT files are found relative to the working directory, which is the repository root when
 * the benchmarks run through {@code mvn exec:exec} (JMH's forked JVM inherits it).
 */
final class SiftIndex implements AutoCloseable {

  /** M, as in the codec's default and Lucene's {@code Lucene99HnswVectorsFormat(16, 100)}. */
  static final int MAX_CONN = 16;

  /** efConstruction. */
  static final int BEAM_WIDTH = 100;

  /** Hits per query. */
  static final int K = 10;

  /** Seed of the layer assignment; both builders get the same one. */
  static final long SEED = 42;

  static final String FIELD = "vector";

  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.EUCLIDEAN;

  /** The scorers Lucene99's flat format gives a flush (one pair of vectors per call). */
  static RandomVectorScorerSupplier luceneScorers(float[][] vectors) throws IOException {
    return FlatVectorScorerUtil.getLucene99FlatVectorsScorer()
        .getRandomVectorScorerSupplier(SIMILARITY, values(vectors));
  }

  /** The scorers our codec builds a flushed graph with: batched SIMD kernels where possible. */
  static RandomVectorScorerSupplier flushScorers(float[][] vectors) throws IOException {
    return HeapFloatScorerSupplier.create(
        Arrays.asList(vectors),
        vectors[0].length,
        SIMILARITY,
        FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
  }

  /** The byte-vector scorers Lucene99's flat format gives a flush. */
  static RandomVectorScorerSupplier luceneScorers(byte[][] vectors) throws IOException {
    return FlatVectorScorerUtil.getLucene99FlatVectorsScorer()
        .getRandomVectorScorerSupplier(
            SIMILARITY, ByteVectorValues.fromBytes(Arrays.asList(vectors), vectors[0].length));
  }

  /** The byte-vector scorers our codec builds a flushed graph with. */
  static RandomVectorScorerSupplier flushScorers(byte[][] vectors) throws IOException {
    return HeapByteScorerSupplier.create(
        Arrays.asList(vectors),
        vectors[0].length,
        SIMILARITY,
        FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
  }

  /** SIFT's components (0 to 255) shifted into signed bytes, as an int8 field would hold them. */
  static byte[][] asBytes(float[][] vectors) {
    byte[][] bytes = new byte[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      bytes[i] = VectorSet.siftAsBytes(vectors[i]);
    }
    return bytes;
  }

  static FloatVectorValues values(float[][] vectors) {
    return FloatVectorValues.fromFloats(Arrays.asList(vectors), vectors[0].length);
  }

  /** Our codec with the benchmarks' M and efConstruction. */
  static Codec hnswCodec() {
    return new HnswCodec(new HnswCodecVectorsFormat(MAX_CONN, BEAM_WIDTH));
  }

  /** Lucene's default codec with its own HNSW format, M and efConstruction as ours. */
  static Codec lucene99Codec() {
    KnnVectorsFormat format = new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
    return new Lucene104Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  private final Path path;
  private final Directory directory;
  private final DirectoryReader reader;

  /**
   * Indexes {@code vectors} in order as one segment, so that document ids are row numbers and the
   * ground truth applies as it is.
   */
  SiftIndex(float[][] vectors, Codec codec) throws IOException {
    path = Files.createTempDirectory("hnsw-codec-jmh");
    boolean success = false;
    Directory dir = null;
    DirectoryReader open = null;
    try {
      dir = new MMapDirectory(path);
      // one thread and a buffer far larger than the vectors: a single flush, so the graph is the
      // one a flush builds, not one a merge rebuilt
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(codec)
              .setRAMBufferSizeMB(512)
              .setMergePolicy(NoMergePolicy.INSTANCE);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (float[] vector : vectors) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vector, SIMILARITY));
          writer.addDocument(doc);
        }
        writer.commit();
      }
      open = DirectoryReader.open(dir);
      if (open.leaves().size() != 1) {
        throw new IllegalStateException("expected one segment, got " + open.leaves().size());
      }
      success = true;
    } finally {
      directory = dir;
      reader = open;
      if (success == false) {
        close();
      }
    }
  }

  /** The index's only segment. */
  LeafReader leaf() {
    return reader.leaves().get(0).reader();
  }

  @Override
  public void close() throws IOException {
    try {
      IOUtils.close(reader, directory);
    } finally {
      IOUtils.rm(path);
    }
  }
}
