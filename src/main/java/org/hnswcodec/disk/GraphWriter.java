package org.hnswcodec.disk;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.packed.DirectMonotonicWriter;
import org.hnswcodec.graph.OnHeapGraph;

/**
 * Writes one field's graph: its neighbour records into the graph data file and the description of
 * where they are into the metadata file. {@link GraphMeta#read} reads the metadata back in the same
 * order.
 *
 * <p>A neighbour record is written {@link RecordEncoding#PACKED_POSITIONS}: the degree and the
 * first (smallest) neighbour as vInts, then the gaps between the ascending neighbours bit-packed at
 * the width of the largest: sorted ordinals of nearby nodes are close, so gaps take a byte or two
 * where raw ordinals would take four. A neighbour is named by its position on the record's layer,
 * which on an upper layer, holding about 1/M of the nodes of the one below, makes the gaps about M
 * times smaller than between ordinals.
 */
public final class GraphWriter {

  /**
   * Offset tables use blocks of 2^8 values, each with its own average and bit width. Records vary
   * in length with their degree, so a block's offsets stray from its average the further the
   * longer the block: blocks of 2^16 (Lucene's choice) took 2.5 bytes a node on a merged graph of
   * 100,000 SIFT rows, blocks of 2^8 1.2 bytes and 0.09 bytes of block metadata in the metadata
   * file, which the reader holds on the heap. Smaller blocks save little more and cost more
   * metadata than they save.
   */
  static final int OFFSETS_BLOCK_SHIFT = 8;

  private final IndexOutput data;
  private final IndexOutput meta;
  private final int[] sortedNeighbors;
  private final byte[] packed;

  /**
   * @param maxConn0 the most neighbours a node can have (on layer 0)
   */
  public GraphWriter(IndexOutput data, IndexOutput meta, int maxConn0) {
    this.data = data;
    this.meta = meta;
    this.sortedNeighbors = new int[maxConn0];
    this.packed = new byte[maxConn0 * Integer.BYTES];
  }

  /**
   * Writes a graph, or an empty one when {@code graph} is null. In the data file: the records of
   * layer 0 (node by node), of layer 1, ..., then one offset table per layer. In the metadata file:
   * size, graph offset, the layers' shape, each offset table's position and block metadata, and
   * last the graph's length, known only once the tables are written.
   */
  public void write(OnHeapGraph graph) throws IOException {
    long graphOffset = data.getFilePointer();
    int size = graph == null ? 0 : graph.size();
    meta.writeVInt(size);
    meta.writeVLong(graphOffset);
    if (size == 0) {
      meta.writeVLong(0);
      return;
    }
    int numLevels = graph.topLevel() + 1;
    int[][] nodesByLevel = new int[numLevels][];
    long[][] recordOffsets = new long[numLevels][];
    for (int level = 0; level < numLevels; level++) {
      int[] nodes = level == 0 ? null : graph.nodesOnLevel(level);
      int count = level == 0 ? size : nodes.length;
      nodesByLevel[level] = nodes;
      long[] offsets = new long[count];
      for (int i = 0; i < count; i++) {
        offsets[i] = data.getFilePointer() - graphOffset;
        writeRecord(graph, level, level == 0 ? i : nodes[i], nodes);
      }
      recordOffsets[level] = offsets;
    }

    meta.writeVInt(numLevels);
    meta.writeVInt(graph.entryNode());
    for (int level = 1; level < numLevels; level++) {
      int[] nodes = nodesByLevel[level];
      meta.writeVInt(nodes.length);
      int previous = 0;
      for (int node : nodes) {
        meta.writeVInt(node - previous);
        previous = node;
      }
    }
    meta.writeVInt(OFFSETS_BLOCK_SHIFT);
    for (int level = 0; level < numLevels; level++) {
      long tableStart = data.getFilePointer();
      meta.writeVLong(tableStart);
      DirectMonotonicWriter offsets =
          DirectMonotonicWriter.getInstance(
              meta, data, recordOffsets[level].length, OFFSETS_BLOCK_SHIFT);
      for (long offset : recordOffsets[level]) {
        offsets.add(offset);
      }
      offsets.finish();
      meta.writeVLong(data.getFilePointer() - tableStart);
    }
    meta.writeVLong(data.getFilePointer() - graphOffset);
  }

  /**
   * @param layerNodes the ascending nodes of an upper layer, whose positions name the neighbours;
   *     null on layer 0, where a node's position is its ordinal
   */
  private void writeRecord(OnHeapGraph graph, int level, int node, int[] layerNodes)
      throws IOException {
    int degree = graph.neighbors(level, node, sortedNeighbors);
    data.writeVInt(degree);
    if (degree == 0) {
      return;
    }
    if (layerNodes != null) {
      for (int i = 0; i < degree; i++) {
        int position = Arrays.binarySearch(layerNodes, sortedNeighbors[i]);
        if (position < 0) {
          throw new IllegalStateException(
              "node " + node + " links on layer " + level + " to node " + sortedNeighbors[i]
                  + ", which is not on that layer");
        }
        sortedNeighbors[i] = position;
      }
    }
    Arrays.sort(sortedNeighbors, 0, degree);
    data.writeVInt(sortedNeighbors[0]);
    if (degree == 1) {
      return;
    }
    int widest = 0;
    for (int i = 1; i < degree; i++) {
      widest |= sortedNeighbors[i] - sortedNeighbors[i - 1];
    }
    int width = 32 - Integer.numberOfLeadingZeros(widest);
    data.writeByte((byte) width);
    int length = 0;
    long pending = 0;
    int pendingBits = 0;
    for (int i = 1; i < degree; i++) {
      pending |= (long) (sortedNeighbors[i] - sortedNeighbors[i - 1]) << pendingBits;
      pendingBits += width;
      while (pendingBits >= 8) {
        packed[length++] = (byte) pending;
        pending >>>= 8;
        pendingBits -= 8;
      }
    }
    if (pendingBits > 0) {
      packed[length++] = (byte) pending;
    }
    data.writeBytes(packed, length);
  }
}
