package org.hnswcodec.codec;

import java.io.IOException;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.hnswcodec.disk.OffHeapGraph;

/**
 * Read-only access to the graphs of {@link HnswCodecVectorsFormat} in an open index, for tools that
 * show what a graph looks like (layers, degrees, reachability).
 */
public final class GraphInspector {

  private GraphInspector() {}

  /**
   * A field's graph parameters in one segment.
   *
   * @param maxConn M
   * @param beamWidth efConstruction
   * @param defaultEf ef of searches whose query sets none
   * @param unitLength whether the field is float32 COSINE with only unit-length vectors, scored
   *     as dot products
   * @param graphBytes bytes of the field's graph in the graph data file
   */
  public record GraphParams(
      int maxConn, int beamWidth, int defaultEf, boolean unitLength, long graphBytes) {}

  /**
   * The parameters of {@code field}'s graph in this segment, or null if this format did not write
   * it.
   */
  public static GraphParams params(LeafReader leaf, String field) {
    HnswCodecVectorsReader reader = reader(leaf, field);
    var entry = reader == null ? null : reader.fieldEntry(field);
    if (entry == null) {
      return null;
    }
    return new GraphParams(
        entry.maxConn(),
        entry.beamWidth(),
        entry.defaultEf(),
        entry.unitLength(),
        entry.graph().graphLength());
  }

  /**
   * Opens {@code field}'s graph in this segment for reading, or returns null if this format did not
   * write it. The graph reads from the segment's files: use it while the reader is open, from one
   * thread.
   */
  public static OffHeapGraph graph(LeafReader leaf, String field) throws IOException {
    HnswCodecVectorsReader reader = reader(leaf, field);
    return reader == null ? null : reader.graph(field);
  }

  private static HnswCodecVectorsReader reader(LeafReader leaf, String field) {
    LeafReader unwrapped = FilterLeafReader.unwrap(leaf);
    if (unwrapped instanceof CodecReader codecReader) {
      return HnswCodecVectorsReader.ofField(codecReader.getVectorReader(), field);
    }
    return null;
  }
}
