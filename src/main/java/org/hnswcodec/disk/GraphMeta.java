package org.hnswcodec.disk;

import java.io.IOException;
import org.apache.lucene.internal.hppc.IntIntHashMap;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.packed.DirectMonotonicReader;

/**
 * Where one field's graph lies in the graph data file and its shape, as read from the metadata
 * file: entry node, the nodes of each upper layer, and per layer the monotonic table of record
 * offsets.
 *
 * @param size number of nodes (vectors) in the graph
 * @param graphOffset start of the field's records in the data file
 * @param graphLength bytes of records and offset tables in the data file
 * @param entryNode the node searches start from, or -1 if the graph is empty
 * @param upperLevelNodes for layer {@code l >= 1}, at index {@code l - 1}, its nodes ascending
 * @param upperLevelPositions for layer {@code l >= 1}, at index {@code l - 1}, each node's position
 *     in {@code upperLevelNodes}, which indexes the layer's offset table: a search looks it up for
 *     every node it expands on an upper layer, and a hash lookup costs less than a binary search
 * @param offsetsStart per layer, start of its offset table in the data file
 * @param offsetsLength per layer, length of its offset table
 * @param offsetsMeta per layer, the offset table's block metadata
 */
public record GraphMeta(
    int size,
    long graphOffset,
    long graphLength,
    int entryNode,
    int[][] upperLevelNodes,
    IntIntHashMap[] upperLevelPositions,
    long[] offsetsStart,
    long[] offsetsLength,
    DirectMonotonicReader.Meta[] offsetsMeta) {

  /** Number of layers; 0 for an empty graph. */
  public int numLevels() {
    return offsetsStart.length;
  }

  /**
   * Reads the part of a field's metadata entry that {@link GraphWriter#write} wrote, in the same
   * order.
   */
  public static GraphMeta read(IndexInput meta) throws IOException {
    int size = meta.readVInt();
    long graphOffset = meta.readVLong();
    if (size == 0) {
      long graphLength = meta.readVLong();
      return new GraphMeta(
          0, graphOffset, graphLength, -1, new int[0][], new IntIntHashMap[0], new long[0],
          new long[0], new DirectMonotonicReader.Meta[0]);
    }
    int numLevels = meta.readVInt();
    int entryNode = meta.readVInt();
    int[][] upper = new int[numLevels - 1][];
    IntIntHashMap[] positions = new IntIntHashMap[numLevels - 1];
    for (int level = 1; level < numLevels; level++) {
      int[] nodes = new int[meta.readVInt()];
      IntIntHashMap position = new IntIntHashMap(nodes.length);
      int previous = 0;
      for (int i = 0; i < nodes.length; i++) {
        previous += meta.readVInt();
        nodes[i] = previous;
        position.put(previous, i);
      }
      upper[level - 1] = nodes;
      positions[level - 1] = position;
    }
    int blockShift = meta.readVInt();
    long[] starts = new long[numLevels];
    long[] lengths = new long[numLevels];
    DirectMonotonicReader.Meta[] metas = new DirectMonotonicReader.Meta[numLevels];
    for (int level = 0; level < numLevels; level++) {
      int count = level == 0 ? size : upper[level - 1].length;
      starts[level] = meta.readVLong();
      metas[level] = DirectMonotonicReader.loadMeta(meta, count, blockShift);
      lengths[level] = meta.readVLong();
    }
    long graphLength = meta.readVLong();
    return new GraphMeta(
        size, graphOffset, graphLength, entryNode, upper, positions, starts, lengths, metas);
  }
}
