package org.hnswcodec.disk;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.GroupVIntUtil;
import org.apache.lucene.util.packed.DirectMonotonicReader;
import org.hnswcodec.graph.LayeredGraph;

/**
 * A field's graph read straight from the graph data file: each neighbour list is found through its
 * layer's offset table and decoded on demand. Only the node lists of the upper layers, a small
 * fraction of the nodes, are on the heap (in {@link GraphMeta}).
 *
 * <p>Not thread-safe: every search opens its own with {@link #open}, which clones the input.
 */
public final class OffHeapGraph implements LayeredGraph {

  private final GraphMeta meta;
  private final int maxConn;
  private final IndexInput records;
  private final DirectMonotonicReader[] offsets;

  /** One record at a time, with room for the longest (2M neighbours) and slack to decode. */
  private final byte[] record;

  private final ByteArrayDataInput recordInput = new ByteArrayDataInput();

  private OffHeapGraph(
      GraphMeta meta, int maxConn, IndexInput records, DirectMonotonicReader[] offsets) {
    this.meta = meta;
    this.maxConn = maxConn;
    this.records = records;
    this.offsets = offsets;
    int maxDegree = 2 * maxConn;
    this.record =
        new byte
            [5 + (maxDegree / 4) * GroupVIntUtil.MAX_LENGTH_PER_GROUP + 3 * 5 + Integer.BYTES];
  }

  /**
   * @param data the graph data file (shared; it is sliced, not moved)
   * @param maxConn M of the field
   */
  public static OffHeapGraph open(IndexInput data, GraphMeta meta, int maxConn)
      throws IOException {
    IndexInput records = data.slice("graph", meta.graphOffset(), meta.graphLength());
    DirectMonotonicReader[] offsets = new DirectMonotonicReader[meta.numLevels()];
    for (int level = 0; level < offsets.length; level++) {
      offsets[level] =
          DirectMonotonicReader.getInstance(
              meta.offsetsMeta()[level],
              data.randomAccessSlice(meta.offsetsStart()[level], meta.offsetsLength()[level]));
    }
    return new OffHeapGraph(meta, maxConn, records, offsets);
  }

  @Override
  public int size() {
    return meta.size();
  }

  @Override
  public int topLevel() {
    return meta.numLevels() - 1;
  }

  @Override
  public int entryNode() {
    return meta.entryNode();
  }

  @Override
  public int maxConn(int level) {
    return level == 0 ? 2 * maxConn : maxConn;
  }

  @Override
  public int neighbors(int level, int node, int[] dest) throws IOException {
    int index = level == 0 ? node : meta.upperLevelPositions()[level - 1].getOrDefault(node, -1);
    assert index >= 0 : "node " + node + " is not on level " + level;
    long start = offsets[level].get(index);
    // One bulk copy of the longest a record can be, then decoding from the array: reading the
    // groups from the mapped file value by value cost a fifth of a search's time. The copy may
    // run into the next records, which the decoder, bounded by the degree, never reads; looking
    // up where this record ends would cost a second offset read.
    int length = (int) Math.min(record.length - Integer.BYTES, records.length() - start);
    records.seek(start);
    records.readBytes(record, 0, length);
    return decode(recordInput, record, dest);
  }

  /**
   * Decodes a record, {@code [vint degree][gaps as group-varints, the last degree % 4 as
   * vints]}, into ascending neighbours. {@code bytes} has {@link Integer#BYTES} bytes of slack at
   * the end, so that every group value can be read as a whole int and masked to its length; the
   * vints are read through {@code in}, which this resets onto {@code bytes}.
   *
   * @return the degree
   */
  static int decode(ByteArrayDataInput in, byte[] bytes, int[] dest) {
    in.reset(bytes);
    int degree = in.readVInt();
    int pos = in.getPosition();
    int i = 0;
    for (; i + 4 <= degree; i += 4) {
      int flag = bytes[pos++] & 0xFF;
      for (int j = 0; j < 4; j++) {
        int width = ((flag >>> (6 - 2 * j)) & 0x03) + 1;
        dest[i + j] = (int) BitUtil.VH_LE_INT.get(bytes, pos) & MASKS[width];
        pos += width;
      }
    }
    in.setPosition(pos);
    for (; i < degree; i++) {
      dest[i] = in.readVInt();
    }
    for (i = 1; i < degree; i++) {
      dest[i] += dest[i - 1];
    }
    return degree;
  }

  private static final int[] MASKS = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF};

  @Override
  public int[] nodesOnLevel(int level) {
    if (level > 0) {
      return meta.upperLevelNodes()[level - 1].clone();
    }
    int[] all = new int[meta.size()];
    Arrays.setAll(all, i -> i);
    return all;
  }
}
