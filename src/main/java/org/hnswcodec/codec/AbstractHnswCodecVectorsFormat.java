package org.hnswcodec.codec;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.IOUtils;

/**
 * What this project's formats share: the graph, its parameters and files ({@link
 * HnswCodecVectorsFormat} documents them), over a flat format of Lucene's that stores the vectors
 * and scores them. The formats differ in that flat format alone: {@link HnswCodecVectorsFormat}
 * keeps the vectors as indexed, {@link HnswCodecScalarQuantizedVectorsFormat} also keeps a
 * quantized copy and searches that.
 */
public abstract sealed class AbstractHnswCodecVectorsFormat extends KnnVectorsFormat
    permits HnswCodecVectorsFormat, HnswCodecScalarQuantizedVectorsFormat {

  private final FlatVectorsFormat flatFormat;
  private final FlatVectorsFormat rawFormat;
  private final int maxConn;
  private final int beamWidth;
  private final int defaultEf;
  private final int buildWorkers;
  private final ExecutorService buildExecutor;
  private final int minGraphSize;

  /**
   * @param name the name the format is registered under and recorded in every segment
   * @param flatFormat stores the vectors and scores them for searches
   * @param rawFormat reads the vectors as indexed from the files {@code flatFormat} writes, to
   *     build merged graphs over them: {@code flatFormat} itself, or a format that reads the files
   *     it keeps the raw vectors in beside a quantized copy. In the second case a search always
   *     takes the flat format's own scorer for the field (over the quantized copy), and cosine
   *     over unit-length vectors is not scored as a dot product, which a flat scorer asked for one
   *     computes over the raw vectors
   * @see HnswCodecVectorsFormat#HnswCodecVectorsFormat(int, int, int, int, ExecutorService, int)
   *     the parameters and their ranges
   */
  AbstractHnswCodecVectorsFormat(
      String name,
      FlatVectorsFormat flatFormat,
      FlatVectorsFormat rawFormat,
      int maxConn,
      int beamWidth,
      int defaultEf,
      int buildWorkers,
      ExecutorService buildExecutor,
      int minGraphSize) {
    super(name);
    this.flatFormat = flatFormat;
    this.rawFormat = rawFormat;
    this.maxConn = checkRange("maxConn (M)", maxConn, 2, HnswCodecVectorsFormat.MAX_MAX_CONN);
    this.beamWidth =
        checkRange(
            "beamWidth (efConstruction)", beamWidth, 1, HnswCodecVectorsFormat.MAX_BEAM_WIDTH);
    this.defaultEf = checkRange("defaultEf", defaultEf, 1, HnswCodecVectorsFormat.MAX_DEFAULT_EF);
    this.buildWorkers =
        checkRange("buildWorkers", buildWorkers, 1, HnswCodecVectorsFormat.MAX_BUILD_WORKERS);
    this.buildExecutor = buildExecutor;
    this.minGraphSize = checkRange("minGraphSize", minGraphSize, 0, Integer.MAX_VALUE);
  }

  private static int checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be >= " + min + " and <= " + max + "; got " + value);
    }
    return value;
  }

  @Override
  public final KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return new HnswCodecVectorsWriter(
        state,
        maxConn,
        beamWidth,
        defaultEf,
        buildWorkers,
        buildExecutor == null ? null : new TaskExecutor(buildExecutor),
        minGraphSize,
        rawFormat,
        flatFormat.fieldsWriter(state));
  }

  @Override
  public final KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    var flatReader = flatFormat.fieldsReader(state);
    boolean success = false;
    try {
      var reader = new HnswCodecVectorsReader(state, flatReader, rawFormat == flatFormat);
      success = true;
      return reader;
    } finally {
      if (success == false) {
        IOUtils.closeWhileHandlingException(flatReader);
      }
    }
  }

  @Override
  public final int getMaxDimensions(String fieldName) {
    return HnswCodecVectorsFormat.MAX_DIMENSIONS;
  }

  /** M. */
  public final int maxConn() {
    return maxConn;
  }

  /** efConstruction. */
  public final int beamWidth() {
    return beamWidth;
  }

  /** The ef of searches whose query sets none. */
  public final int defaultEf() {
    return defaultEf;
  }

  /** How many insertions into one graph may run at once. */
  public final int buildWorkers() {
    return buildWorkers;
  }

  /** The fewest vectors a field needs in a segment to be given a graph. */
  public final int minGraphSize() {
    return minGraphSize;
  }

  @Override
  public final String toString() {
    return getName()
        + "(maxConn="
        + maxConn
        + ", beamWidth="
        + beamWidth
        + ", defaultEf="
        + defaultEf
        + ", buildWorkers="
        + buildWorkers
        + ", minGraphSize="
        + minGraphSize
        + ", flatVectorFormat="
        + flatFormat
        + ")";
  }
}
