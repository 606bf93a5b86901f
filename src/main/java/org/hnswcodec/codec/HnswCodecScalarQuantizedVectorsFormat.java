package org.hnswcodec.codec;

import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * {@link HnswCodecVectorsFormat}'s graph over scalar-quantized vectors: Lucene's {@link
 * Lucene104ScalarQuantizedVectorsFormat} stores each float vector both as indexed and quantized
 * (8, 7, 4, 2 or 1 bits a component, per its {@link ScalarEncoding}), and searches score the
 * quantized copy, which is a quarter to a thirty-second of the float bytes: the part of an index a
 * search needs in memory shrinks by as much. Scores are the quantized vectors' estimates of the
 * similarity, so recall at a given ef is a little lower than over the float vectors (see the
 * README); a query that wants exact scores rescores the hits it keeps.
 *
 * <p>Graphs are built over the float vectors, at flush and at merge, so they are the graphs {@link
 * HnswCodecVectorsFormat} builds from the same vectors in the same kind of directory; only
 * searches use the quantized copy. (A merge scores the vectors it reads back through Lucene's
 * scorer for the directory, on the mapped file or on heap copies, which round sums differently:
 * a near tie can then link a node differently, in either format.) Byte vector fields are stored
 * and searched as with {@link HnswCodecVectorsFormat}.
 *
 * <p>Files: the graph's {@code .vem} and {@code .vex}, as documented on {@link
 * HnswCodecVectorsFormat}, beside Lucene104ScalarQuantizedVectorsFormat's files (the quantized
 * vectors, {@code .veq} with metadata {@code .vemq}, and the vectors as indexed in Lucene's flat
 * {@code .vec} and {@code .vemf}). Registered by SPI as {@value #NAME}.
 */
public final class HnswCodecScalarQuantizedVectorsFormat extends AbstractHnswCodecVectorsFormat {

  /** The name this format is registered under (SPI) and recorded in every segment. */
  public static final String NAME = "HnswCodecScalarQuantized10";

  /** Default encoding: 8 bits a component, as Lucene's scalar-quantized HNSW format. */
  public static final ScalarEncoding DEFAULT_ENCODING = ScalarEncoding.UNSIGNED_BYTE;

  private final ScalarEncoding encoding;

  /**
   * A format with {@link HnswCodecVectorsFormat}'s defaults (M=16, efConstruction=100, ef=100,
   * graphs from 650 vectors) and 8-bit components.
   */
  public HnswCodecScalarQuantizedVectorsFormat() {
    this(
        DEFAULT_ENCODING,
        HnswCodecVectorsFormat.DEFAULT_MAX_CONN,
        HnswCodecVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  /**
   * A format with the given encoding and graph parameters and the default ef, constructed like
   * Lucene's {@code Lucene104HnswScalarQuantizedVectorsFormat(encoding, maxConn, beamWidth)}.
   *
   * @param encoding the bits a component of the quantized vectors
   * @param maxConn M, in [2, 512]
   * @param beamWidth efConstruction, in [1, 3200]
   */
  public HnswCodecScalarQuantizedVectorsFormat(
      ScalarEncoding encoding, int maxConn, int beamWidth) {
    this(
        encoding,
        maxConn,
        beamWidth,
        HnswCodecVectorsFormat.DEFAULT_EF,
        1,
        null,
        HnswCodecVectorsFormat.DEFAULT_MIN_GRAPH_SIZE);
  }

  /**
   * A format with every parameter; all but the encoding as for {@link
   * HnswCodecVectorsFormat#HnswCodecVectorsFormat(int, int, int, int, ExecutorService, int)}.
   *
   * @param encoding the bits a component of the quantized vectors
   */
  public HnswCodecScalarQuantizedVectorsFormat(
      ScalarEncoding encoding,
      int maxConn,
      int beamWidth,
      int defaultEf,
      int buildWorkers,
      ExecutorService buildExecutor,
      int minGraphSize) {
    super(
        NAME,
        new Lucene104ScalarQuantizedVectorsFormat(checkEncoding(encoding)),
        // which (in Lucene 10.5.1) writes the vectors as indexed with Lucene99's flat format, in
        // files of the same segment suffix; read so, merges score them off-heap with SIMD, where
        // the quantized format's float values are copied to the heap vector by vector
        HnswCodecVectorsFormat.FLAT_VECTORS_FORMAT,
        maxConn,
        beamWidth,
        defaultEf,
        buildWorkers,
        buildExecutor,
        minGraphSize);
    this.encoding = encoding;
  }

  /** The bits a component of the quantized vectors. */
  public ScalarEncoding encoding() {
    return encoding;
  }

  private static ScalarEncoding checkEncoding(ScalarEncoding encoding) {
    if (encoding == null) {
      throw new IllegalArgumentException("encoding must not be null");
    }
    return encoding;
  }
}
