package org.hnswcodec.disk;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.GroupVIntUtil;
import org.apache.lucene.util.packed.DirectMonotonicReader;
import org.hnswcodec.graph.LayeredGraph;

/**
 * A field's graph read straight from the graph data file: each neighbour list is found through its
 * layer's offset table and decoded on demand. Only the upper layers, a small fraction of the nodes,
 * have their node lists ({@link GraphMeta}) and record offsets ({@link UpperLayerOffsets}) on the
 * heap.
 *
 * <p>Not thread-safe: each thread opens its own with {@link #open}, which slices the input, and
 * may reuse it for search after search (each neighbour list is read whole by one call).
 */
public final class OffHeapGraph implements LayeredGraph {

  private final GraphMeta meta;
  private final int maxConn;
  private final RecordEncoding encoding;
  private final IndexInput records;
  private final DirectMonotonicReader levelZeroOffsets;
  private final UpperLayerOffsets upperOffsets;

  /** Where the records end in {@link #records}: the offset tables follow them. */
  private final long recordsEnd;

  /**
   * One record at a time, with room for the longest (2M neighbours in either encoding) and {@link
   * #SLACK} bytes to decode the last value with a whole-word read.
   */
  private final byte[] record;

  private final ByteArrayDataInput recordInput = new ByteArrayDataInput();

  /** Bytes past a record that decoding may read (and ignore). */
  private static final int SLACK = Long.BYTES;

  private OffHeapGraph(
      GraphMeta meta,
      int maxConn,
      RecordEncoding encoding,
      IndexInput records,
      DirectMonotonicReader levelZeroOffsets,
      UpperLayerOffsets upperOffsets) {
    this.meta = meta;
    this.maxConn = maxConn;
    this.encoding = encoding;
    this.records = records;
    this.levelZeroOffsets = levelZeroOffsets;
    this.upperOffsets = upperOffsets;
    this.recordsEnd = meta.recordsLength();
    int maxDegree = 2 * maxConn;
    int groupVarints = 5 + (maxDegree / 4) * GroupVIntUtil.MAX_LENGTH_PER_GROUP + 3 * 5;
    int packedGaps = 5 + 5 + 1 + maxDegree * Integer.BYTES;
    this.record = new byte[Math.max(groupVarints, packedGaps) + SLACK];
  }

  /**
   * @param data the graph data file (shared; it is sliced, not moved)
   * @param upperOffsets the upper layers' record offsets, read once for all searches of the field
   * @param maxConn M of the field
   * @param encoding how the records were written (by the format version)
   */
  public static OffHeapGraph open(
      IndexInput data,
      GraphMeta meta,
      UpperLayerOffsets upperOffsets,
      int maxConn,
      RecordEncoding encoding)
      throws IOException {
    IndexInput records = data.slice("graph", meta.graphOffset(), meta.graphLength());
    DirectMonotonicReader levelZeroOffsets = null;
    if (meta.numLevels() > 0) {
      try {
        levelZeroOffsets =
            DirectMonotonicReader.getInstance(
                meta.offsetsMeta()[0],
                data.randomAccessSlice(meta.offsetsStart()[0], meta.offsetsLength()[0]));
      } catch (IllegalArgumentException e) { // a block's bits per value no writer writes
        throw new CorruptIndexException("layer 0's offset table unreadable", data, e);
      }
    }
    return new OffHeapGraph(meta, maxConn, encoding, records, levelZeroOffsets, upperOffsets);
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
    // A damaged graph data file (its checksum is verified by checkIntegrity, not per search) is
    // reported as corrupt rather than as an index out of bounds or a hit that is no document:
    // offsets, neighbour ordinals and a neighbour's layer are checked as they are read, a few
    // comparisons a record.
    long start;
    if (level == 0) {
      try {
        start = levelZeroOffsets.get(node);
      } catch (RuntimeException e) {
        throw new CorruptIndexException(
            "layer 0's offset table unreadable at node " + node, records, e);
      }
    } else {
      int position = meta.upperLevelPositions()[level - 1].getOrDefault(node, -1);
      if (position < 0) {
        throw new CorruptIndexException("node " + node + " is not on layer " + level, records);
      }
      start = upperOffsets.offset(level, position);
    }
    if (start < 0 || start >= recordsEnd) {
      throw new CorruptIndexException(
          "record of node " + node + " on layer " + level + " at " + start
              + ", outside the graph's " + recordsEnd + " bytes of records",
          records);
    }
    // One bulk copy of the longest a record can be, then decoding from the array: reading the
    // groups from the mapped file value by value cost a fifth of a search's time. The copy may
    // run into the next records, which the decoder, bounded by the degree, never reads; looking
    // up where this record ends would cost a second offset read.
    int length = (int) Math.min(record.length - SLACK, records.length() - start);
    records.seek(start);
    records.readBytes(record, 0, length);
    int degree =
        switch (encoding) {
          case PACKED_GAPS, PACKED_POSITIONS ->
              decodePackedGaps(recordInput, record, dest, maxConn(level), records);
          case GROUP_VARINT_GAPS ->
              decodeGroupVarintGaps(recordInput, record, dest, maxConn(level), records);
        };
    if (encoding == RecordEncoding.PACKED_POSITIONS && level > 0 && degree > 0) {
      toOrdinals(level, node, dest, degree);
    }
    // ascending without overflow (the decoders check), so the ends bound them all
    if (degree > 0 && (dest[0] < 0 || dest[degree - 1] >= meta.size())) {
      throw new CorruptIndexException(
          "node " + node + " on layer " + level + " has neighbours in [" + dest[0] + ", "
              + dest[degree - 1] + "], outside the graph's " + meta.size() + " nodes", records);
    }
    return degree;
  }

  /**
   * Replaces the ascending positions on upper layer {@code level} in {@code dest[0..degree)} with
   * the nodes at those positions, after checking that they lie on the layer.
   */
  private void toOrdinals(int level, int node, int[] dest, int degree)
      throws CorruptIndexException {
    int[] layer = meta.upperLevelNodes()[level - 1];
    if (dest[0] < 0 || dest[degree - 1] >= layer.length) {
      throw new CorruptIndexException(
          "node " + node + " on layer " + level + " has neighbours at positions [" + dest[0]
              + ", " + dest[degree - 1] + "], outside the layer's " + layer.length + " nodes",
          records);
    }
    for (int i = 0; i < degree; i++) {
      dest[i] = layer[dest[i]];
    }
  }

  /**
   * Decodes a {@link RecordEncoding#PACKED_GAPS} record into ascending neighbours. {@code bytes}
   * has {@value #SLACK} bytes of slack at the end, so that every gap can be read from a whole
   * little-endian long and masked to its width; the vInts are read through {@code in}, which this
   * resets onto {@code bytes}.
   *
   * @param maxDegree the most neighbours the record's layer allows
   * @param source the file the record was read from, named if the record is corrupt
   * @return the degree
   */
  static int decodePackedGaps(
      ByteArrayDataInput in, byte[] bytes, int[] dest, int maxDegree, DataInput source)
      throws CorruptIndexException {
    in.reset(bytes);
    int degree = checkDegree(in.readVInt(), maxDegree, source);
    if (degree == 0) {
      return 0;
    }
    long neighbor = in.readVInt();
    dest[0] = (int) neighbor;
    if (degree == 1) {
      return 1;
    }
    int pos = in.getPosition();
    int width = bytes[pos++];
    if (width < 0 || width > Integer.SIZE) {
      // a wider gap would be read past the record's slack
      throw new CorruptIndexException("neighbour record with gaps of " + width + " bits", source);
    }
    long mask = (1L << width) - 1;
    long bit = (long) pos << 3;
    for (int i = 1; i < degree; i++, bit += width) {
      long word = (long) BitUtil.VH_LE_LONG.get(bytes, (int) (bit >>> 3));
      neighbor += (word >>> (bit & 7)) & mask;
      dest[i] = (int) neighbor;
    }
    if (neighbor > Integer.MAX_VALUE) {
      throw new CorruptIndexException("neighbour record up to node " + neighbor, source);
    }
    return degree;
  }

  /**
   * Decodes a {@link RecordEncoding#GROUP_VARINT_GAPS} record, {@code [vint degree][gaps as
   * group-varints, the last degree % 4 as vints]}, into ascending neighbours. {@code bytes} has at
   * least {@link Integer#BYTES} bytes of slack at the end, so that every group value can be read as
   * a whole int and masked to its length; the vints are read through {@code in}, which this resets
   * onto {@code bytes}.
   *
   * @param maxDegree the most neighbours the record's layer allows
   * @param source the file the record was read from, named if the record is corrupt
   * @return the degree
   */
  static int decodeGroupVarintGaps(
      ByteArrayDataInput in, byte[] bytes, int[] dest, int maxDegree, DataInput source)
      throws CorruptIndexException {
    in.reset(bytes);
    int degree = checkDegree(in.readVInt(), maxDegree, source);
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
    long sum = degree > 0 ? dest[0] : 0;
    for (i = 1; i < degree; i++) {
      sum += dest[i] & 0xFFFFFFFFL;
      dest[i] = (int) sum;
    }
    if (sum > Integer.MAX_VALUE) {
      throw new CorruptIndexException("neighbour record up to node " + sum, source);
    }
    return degree;
  }

  /**
   * Checks a record's degree against its layer's limit, which sizes the buffers it is decoded
   * with: the checksum is verified by {@code checkIntegrity}, not on every search, so a damaged
   * record is reported as such rather than as an index out of bounds. One comparison a record.
   */
  private static int checkDegree(int degree, int maxDegree, DataInput source)
      throws CorruptIndexException {
    if (degree < 0 || degree > maxDegree) {
      throw new CorruptIndexException(
          "neighbour record of degree " + degree + ", more than " + maxDegree, source);
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
