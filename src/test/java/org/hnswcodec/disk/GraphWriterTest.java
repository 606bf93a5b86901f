package org.hnswcodec.disk;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteArrayDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.packed.DirectMonotonicReader;
import org.apache.lucene.util.packed.DirectMonotonicWriter;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.OnHeapGraph;
import org.hnswcodec.testutil.VectorSet;

/** The graph reads back from disk exactly as it was built, in the documented byte layout. */
public class GraphWriterTest extends LuceneTestCase {

  private static OnHeapGraph buildGraph(int size, int maxConn) throws IOException {
    float[][] vectors = VectorSet.clustered(random(), size, 8, 6);
    var scorers =
        DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
            VectorSimilarityFunction.EUCLIDEAN, FloatVectorValues.fromFloats(Arrays.asList(vectors), 8));
    return new GraphBuilder(scorers, VectorSimilarityFunction.EUCLIDEAN, size, maxConn, 40, random().nextLong()).build(() -> {});
  }

  /**
   * The packed-gaps decoder reads records packed here by hand, for every degree up to 2M and gap
   * widths from 1 to 26 bits, with stale bytes after the record.
   */
  public void testPackedGapsDecode() throws IOException {
    int maxDegree = 2 * random().nextInt(2, 65);
    byte[] bytes = new byte[5 + 5 + 1 + maxDegree * Integer.BYTES + Long.BYTES];
    int[] decoded = new int[maxDegree];
    for (int degree = 0; degree <= maxDegree; degree++) {
      // ordinals stay below 2^31: 127 gaps of under 2^23 from under 2^20
      int width = random().nextInt(1, 24);
      int[] neighbors = new int[degree];
      int previous = random().nextInt(0, 1 << 20);
      for (int i = 0; i < degree; i++) {
        int gap = i == 0 ? 0 : random().nextInt(1, 1 << width);
        previous += gap;
        neighbors[i] = previous;
      }
      Arrays.fill(bytes, (byte) 0xA5);
      ByteArrayDataOutput out = new ByteArrayDataOutput(bytes);
      out.writeVInt(degree);
      if (degree > 0) {
        out.writeVInt(neighbors[0]);
      }
      if (degree > 1) {
        int widest = 0;
        for (int i = 1; i < degree; i++) {
          widest = Math.max(widest, neighbors[i] - neighbors[i - 1]);
        }
        int bitWidth = 32 - Integer.numberOfLeadingZeros(widest);
        out.writeByte((byte) bitWidth);
        int start = out.getPosition();
        int packedBytes = ((degree - 1) * bitWidth + 7) / 8;
        Arrays.fill(bytes, start, start + packedBytes, (byte) 0);
        for (int i = 1; i < degree; i++) {
          int gap = neighbors[i] - neighbors[i - 1];
          for (int b = 0; b < bitWidth; b++) {
            if ((gap >>> b & 1) != 0) {
              int bit = (i - 1) * bitWidth + b;
              bytes[start + bit / 8] |= (byte) (1 << (bit % 8));
            }
          }
        }
      }
      assertEquals(
          "degree " + degree,
          degree,
          OffHeapGraph.decodePackedGaps(new ByteArrayDataInput(), bytes, decoded, maxDegree, null));
      assertArrayEquals("degree " + degree, neighbors, Arrays.copyOf(decoded, degree));
    }
  }

  /**
   * The version-0 record decoder reads what Lucene's group-varint writer wrote, for every degree up
   * to 2M (so every tail length) and gaps of every byte width, with stale bytes after the record.
   */
  public void testRecordDecodesLuceneGroupVarints() throws IOException {
    int maxDegree = 2 * random().nextInt(2, 65);
    byte[] bytes = new byte[5 + maxDegree * 5 + 1 + Integer.BYTES];
    int[] decoded = new int[maxDegree];
    for (int degree = 0; degree <= maxDegree; degree++) {
      int[] neighbors = new int[degree];
      int[] gaps = new int[degree];
      long previous = 0;
      for (int i = 0; i < degree; i++) {
        int width = random().nextInt(1, 5);
        int gap = width == 4 ? random().nextInt(1 << 24, 1 << 26) : random().nextInt(1, 1 << (8 * width));
        // Node ids are ints: leave each remaining gap room so the last neighbour stays a valid id.
        gap = (int) Math.min(gap, (Integer.MAX_VALUE - previous) / (degree - i));
        previous += gap;
        neighbors[i] = (int) previous;
        gaps[i] = gap;
      }
      Arrays.fill(bytes, (byte) 0xA5);
      ByteArrayDataOutput out = new ByteArrayDataOutput(bytes);
      out.writeVInt(degree);
      out.writeGroupVInts(gaps, degree);
      assertEquals(
          "degree " + degree,
          degree,
          OffHeapGraph.decodeGroupVarintGaps(new ByteArrayDataInput(), bytes, decoded, maxDegree, null));
      assertArrayEquals("degree " + degree, neighbors, Arrays.copyOf(decoded, degree));
    }
  }

  public void testRoundTrip() throws IOException {
    int maxConn = random().nextInt(2, 12);
    OnHeapGraph graph = buildGraph(random().nextInt(1, 3000), maxConn);
    try (Directory dir = new ByteBuffersDirectory()) {
      long graphOffset = write(dir, graph, maxConn, random().nextInt(0, 100));
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput data = dir.openInput("data", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        assertEquals(meta.length(), meta.getFilePointer());
        assertEquals(graphOffset, graphMeta.graphOffset());
        assertEquals(data.length() - graphOffset, graphMeta.graphLength());
        OffHeapGraph read =
            OffHeapGraph.open(
                data, graphMeta, UpperLayerOffsets.read(data, graphMeta), maxConn,
                RecordEncoding.PACKED_POSITIONS);
        assertEquals(graph.size(), read.size());
        assertEquals(graph.topLevel(), read.topLevel());
        assertEquals(graph.entryNode(), read.entryNode());
        int[] expected = new int[2 * maxConn];
        int[] actual = new int[2 * maxConn];
        for (int level = 0; level <= graph.topLevel(); level++) {
          int[] nodes = graph.nodesOnLevel(level);
          assertArrayEquals(nodes, read.nodesOnLevel(level));
          for (int node : nodes) {
            int degree = graph.neighbors(level, node, expected);
            assertEquals(degree, read.neighbors(level, node, actual));
            Arrays.sort(expected, 0, degree);
            // records store neighbours ascending
            assertArrayEquals(Arrays.copyOf(expected, degree), Arrays.copyOf(actual, degree));
          }
        }
      }
    }
  }

  /**
   * On disk, a record on an upper layer holds its neighbours' positions in the layer's ascending
   * node list, not their ordinals: decoded raw, every value lies within the layer, and the nodes
   * at those positions are the node's neighbours.
   */
  public void testUpperLayerRecordsHoldPositions() throws IOException {
    int maxConn = random().nextInt(2, 8);
    OnHeapGraph graph = buildGraph(random().nextInt(500, 3000), maxConn);
    assertTrue("the graph has an upper layer", graph.topLevel() > 0);
    try (Directory dir = new ByteBuffersDirectory()) {
      long graphOffset = write(dir, graph, maxConn, random().nextInt(0, 100));
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput data = dir.openInput("data", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        UpperLayerOffsets offsets = UpperLayerOffsets.read(data, graphMeta);
        byte[] record = new byte[5 + 5 + 1 + maxConn * Integer.BYTES + Long.BYTES];
        int[] positions = new int[maxConn];
        int[] expected = new int[maxConn];
        for (int level = 1; level <= graph.topLevel(); level++) {
          int[] layer = graph.nodesOnLevel(level);
          for (int position = 0; position < layer.length; position++) {
            data.seek(graphOffset + offsets.offset(level, position));
            data.readBytes(record, 0, (int) Math.min(record.length, data.length() - data.getFilePointer()));
            int degree =
                OffHeapGraph.decodePackedGaps(
                    new ByteArrayDataInput(), record, positions, maxConn, null);
            assertEquals(graph.neighbors(level, layer[position], expected), degree);
            Arrays.sort(expected, 0, degree);
            for (int i = 0; i < degree; i++) {
              assertTrue(positions[i] < layer.length);
              assertEquals(expected[i], layer[positions[i]]);
            }
          }
        }
      }
    }
  }

  /**
   * A position beyond its layer in an upper layer's record is corrupt, not a node: the first
   * neighbour of layer 1's first record is damaged here by hand.
   */
  public void testPositionsOutsideTheLayerAreCorrupt() throws IOException {
    int maxConn = 4;
    OnHeapGraph graph = buildGraph(100, maxConn);
    int layerSize = graph.nodesOnLevel(1).length;
    assertTrue("layer 1 has a node and fewer than 127", layerSize > 0 && layerSize < 127);
    int node = graph.nodesOnLevel(1)[0];
    assertTrue("its record has a neighbour", graph.neighbors(1, node, new int[maxConn]) > 0);
    try (Directory dir = new ByteBuffersDirectory()) {
      write(dir, graph, maxConn, 0);
      long recordStart;
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput in = dir.openInput("data", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        recordStart = UpperLayerOffsets.read(in, graphMeta).offset(1, 0);
      }
      damage(dir, recordStart + 1, (byte) 127); // [degree][first position]...
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput in = dir.openInput("data", IOContext.DEFAULT)) {
        OffHeapGraph read = open(meta, in, maxConn);
        CorruptIndexException e =
            expectThrows(
                CorruptIndexException.class, () -> read.neighbors(1, node, new int[maxConn]));
        assertTrue(
            e.getMessage(),
            e.getMessage()
                .startsWith("node " + node + " on layer 1 has neighbours at positions [127, "));
        assertTrue(
            e.getMessage(), e.getMessage().contains("], outside the layer's " + layerSize + " nodes"));
      }
    }
  }

  /**
   * Layer 0's offset table comes in small blocks: records vary in length with their degree, so
   * over a long block the offsets stray far from the block's average and every entry needs more
   * bits. The table written takes, with its blocks' metadata, well under what the same offsets take
   * in one block of 2^16 (Lucene's choice for its own graphs).
   */
  public void testOffsetTableIsNarrowerThanOneLongBlock() throws IOException {
    int maxConn = random().nextInt(4, 17);
    OnHeapGraph graph = buildGraph(random().nextInt(3000, 5000), maxConn);
    try (Directory dir = new ByteBuffersDirectory()) {
      write(dir, graph, maxConn, 0);
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput data = dir.openInput("data", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        DirectMonotonicReader table =
            DirectMonotonicReader.getInstance(
                graphMeta.offsetsMeta()[0],
                data.randomAccessSlice(graphMeta.offsetsStart()[0], graphMeta.offsetsLength()[0]));
        long oneBlock;
        try (IndexOutput scratchMeta = dir.createOutput("scratch-meta", IOContext.DEFAULT);
            IndexOutput scratchData = dir.createOutput("scratch-data", IOContext.DEFAULT)) {
          DirectMonotonicWriter writer =
              DirectMonotonicWriter.getInstance(scratchMeta, scratchData, graph.size(), 16);
          for (int node = 0; node < graph.size(); node++) {
            writer.add(table.get(node));
          }
          writer.finish();
          oneBlock = scratchData.getFilePointer();
        }
        // a block's metadata: its minimum and offset (longs), average (float) and bit width (byte)
        long blocks = (graph.size() + (1L << GraphWriter.OFFSETS_BLOCK_SHIFT) - 1)
            >> GraphWriter.OFFSETS_BLOCK_SHIFT;
        long written = graphMeta.offsetsLength()[0] + blocks * (2 * Long.BYTES + Float.BYTES + 1);
        // 0.54-0.72 of it over 60 seeds
        assertTrue(written + " bytes against " + oneBlock + " in one block", written < 0.85 * oneBlock);
      }
    }
  }

  /**
   * A metadata entry whose checksum holds but whose shape no writer writes (a writer's bug) is
   * rejected on open as corruption of the field, before a search could index out of bounds.
   * Entries are written here by hand: size, graph offset, layers, entry node, then per upper
   * layer its count and ascending node gaps, then the offset tables' block shift.
   */
  public void testMetadataOfImpossibleShapeIsCorrupt() throws IOException {
    assertCorruptMeta("field \"v\": graph of -1 nodes over 2147483647 vectors", -1, 0);
    // more nodes than the field has vectors, read before anything is sized by it
    assertCorruptMeta("field \"v\": graph of 10 nodes over 9 vectors", 9, new int[] {10, 0});
    assertCorruptMeta("field \"v\": 0 layers", 10, 0, 0);
    assertCorruptMeta("field \"v\": 26 layers", 10, 0, 26);
    assertCorruptMeta("field \"v\": entry node 10 in a graph of 10", 10, 0, 1, 10);
    // layer 1 with 11 nodes over 10
    assertCorruptMeta("field \"v\": 11 nodes on layer 1 above 10", 10, 0, 2, 3, 11);
    // nodes 3, 3: not ascending
    assertCorruptMeta(
        "field \"v\": layer 1 lists node 3 after 3 in a graph of 10", 10, 0, 2, 3, 2, 3, 0);
    // nodes 3, 10: past the last node
    assertCorruptMeta(
        "field \"v\": layer 1 lists node 10 after 3 in a graph of 10", 10, 0, 2, 3, 2, 3, 7);
    assertCorruptMeta(
        "field \"v\": entry node 4 is not on the top layer", 10, 0, 2, 4, 2, 3, 4, 16);
    assertCorruptMeta("field \"v\": offset table block shift 60", 10, 0, 1, 4, 60);
  }

  /** Writes {@code vInts} (the offset, the second, as a vLong) and expects {@code message}. */
  private static void assertCorruptMeta(String message, int... vInts) throws IOException {
    assertCorruptMeta(message, Integer.MAX_VALUE, vInts);
  }

  /** The same, for a field of {@code vectors} vectors. */
  private static void assertCorruptMeta(String message, int vectors, int[] vInts)
      throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      try (IndexOutput out = dir.createOutput("meta", IOContext.DEFAULT)) {
        for (int i = 0; i < vInts.length; i++) {
          if (i == 1) {
            out.writeVLong(vInts[i]);
          } else {
            out.writeVInt(vInts[i]);
          }
        }
        out.writeVLong(0); // enough for a read that wrongly goes on
      }
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT)) {
        CorruptIndexException e =
            expectThrows(CorruptIndexException.class, () -> GraphMeta.read(meta, "v", vectors));
        assertTrue(e.getMessage(), e.getMessage().startsWith(message + " (resource="));
      }
    }
  }

  /** Records and offset tables are checked to lie between the data file's header and footer. */
  public void testGraphOutsideTheDataIsCorrupt() throws IOException {
    int maxConn = 4;
    OnHeapGraph graph = buildGraph(300, maxConn);
    try (Directory dir = new ByteBuffersDirectory()) {
      long graphOffset = write(dir, graph, maxConn, 20);
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput data = dir.openInput("data", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        long end = graphOffset + graphMeta.graphLength();
        graphMeta.checkWithin(graphOffset, end, data, "v");
        CorruptIndexException e =
            expectThrows(
                CorruptIndexException.class,
                () -> graphMeta.checkWithin(graphOffset, end - 1, data, "v"));
        assertTrue(
            e.getMessage(),
            e.getMessage().startsWith("field \"v\": graph at [20, " + end
                + ") outside the data at [20, " + (end - 1) + ")"));
        e =
            expectThrows(
                CorruptIndexException.class,
                () -> graphMeta.checkWithin(graphOffset + 1, end, data, "v"));
        assertTrue(e.getMessage(), e.getMessage().contains("outside the data at [21, "));
      }
    }
  }

  /**
   * A damaged record (its checksum is verified by checkIntegrity, not per search) is reported as
   * corruption, not as an index out of bounds: a degree beyond the layer's limit, or gaps too
   * wide to be read within the record's slack.
   */
  public void testDamagedRecordIsCorrupt() throws IOException {
    byte[] bytes = new byte[5 + 5 + 1 + 8 * Integer.BYTES + Long.BYTES];
    int[] decoded = new int[8];
    ByteArrayDataOutput out = new ByteArrayDataOutput(bytes);
    out.writeVInt(9);
    CorruptIndexException e =
        expectThrows(
            CorruptIndexException.class,
            () -> OffHeapGraph.decodePackedGaps(new ByteArrayDataInput(), bytes, decoded, 8, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("neighbour record of degree 9, more than 8"));
    e =
        expectThrows(
            CorruptIndexException.class,
            () -> OffHeapGraph.decodeGroupVarintGaps(new ByteArrayDataInput(), bytes, decoded, 8, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("neighbour record of degree 9, more than 8"));

    out.reset(bytes);
    out.writeVInt(3);
    out.writeVInt(5);
    out.writeByte((byte) 33);
    e =
        expectThrows(
            CorruptIndexException.class,
            () -> OffHeapGraph.decodePackedGaps(new ByteArrayDataInput(), bytes, decoded, 8, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("neighbour record with gaps of 33 bits"));

    // gaps that carry the last neighbour past the largest int
    out.reset(bytes);
    out.writeVInt(2);
    out.writeVInt(Integer.MAX_VALUE - 10);
    out.writeByte((byte) 8);
    out.writeByte((byte) 100);
    e =
        expectThrows(
            CorruptIndexException.class,
            () -> OffHeapGraph.decodePackedGaps(new ByteArrayDataInput(), bytes, decoded, 8, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("neighbour record up to node 2147483737"));
    out.reset(bytes);
    out.writeVInt(2);
    out.writeVInt(Integer.MAX_VALUE - 10);
    out.writeVInt(100);
    e =
        expectThrows(
            CorruptIndexException.class,
            () -> OffHeapGraph.decodeGroupVarintGaps(new ByteArrayDataInput(), bytes, decoded, 8, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("neighbour record up to node 2147483737"));
  }

  /**
   * A record whose neighbours lie outside the graph, or a node looked up on a layer it is not on,
   * is reported as corrupt: the neighbour would otherwise be scored as some other vector, or
   * returned as a document that is not one. Node 0's record, first in the data, is damaged here
   * by hand: [degree][first neighbour]..., one byte each in a graph of 100.
   */
  public void testNeighboursOutsideTheGraphAreCorrupt() throws IOException {
    int maxConn = 4;
    OnHeapGraph graph = buildGraph(100, maxConn);
    try (Directory dir = new ByteBuffersDirectory()) {
      write(dir, graph, maxConn, 0);
      damage(dir, 1, (byte) 127); // node 0's first neighbour
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT);
          IndexInput in = dir.openInput("data", IOContext.DEFAULT)) {
        OffHeapGraph read = open(meta, in, maxConn);
        int[] neighbors = new int[2 * maxConn];
        CorruptIndexException e =
            expectThrows(CorruptIndexException.class, () -> read.neighbors(0, 0, neighbors));
        assertTrue(e.getMessage(), e.getMessage().startsWith("node 0 on layer 0 has neighbours in [127, "));
        assertTrue(e.getMessage(), e.getMessage().contains("], outside the graph's 100 nodes"));
        int offLayerOne = 0;
        while (graph.levelOf(offLayerOne) >= 1) {
          offLayerOne++;
        }
        int node = offLayerOne;
        e = expectThrows(CorruptIndexException.class, () -> read.neighbors(1, node, neighbors));
        assertTrue(e.getMessage(), e.getMessage().startsWith("node " + node + " is not on layer 1"));
      }
    }
  }

  public void testEmptyGraph() throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      write(dir, null, 16, 7);
      try (IndexInput meta = dir.openInput("meta", IOContext.DEFAULT)) {
        GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
        assertEquals(0, graphMeta.size());
        assertEquals(7, graphMeta.graphOffset());
        assertEquals(0, graphMeta.graphLength());
        assertEquals(0, graphMeta.numLevels());
      }
    }
  }

  /**
   * Layer 0 starts the field's data with one record per node: a vInt degree; if any, the smallest
   * neighbour as a vInt; if more, a byte with the bit width of the largest gap between ascending
   * neighbours, then the gaps at that width, least significant bit first, padded to a byte. Decoded
   * here by hand, bit by bit.
   */
  public void testLayerZeroRecordBytes() throws IOException {
    int maxConn = 4;
    OnHeapGraph graph = buildGraph(300, maxConn);
    try (Directory dir = new ByteBuffersDirectory()) {
      write(dir, graph, maxConn, 0);
      try (IndexInput data = dir.openInput("data", IOContext.DEFAULT)) {
        int[] neighbors = new int[2 * maxConn];
        for (int node = 0; node < graph.size(); node++) {
          int degree = graph.neighbors(0, node, neighbors);
          Arrays.sort(neighbors, 0, degree);
          assertEquals(degree, data.readVInt());
          if (degree == 0) {
            continue;
          }
          assertEquals(neighbors[0], data.readVInt());
          if (degree == 1) {
            continue;
          }
          int width = data.readByte();
          int widest = 0;
          for (int i = 1; i < degree; i++) {
            widest = Math.max(widest, neighbors[i] - neighbors[i - 1]);
          }
          assertEquals(32 - Integer.numberOfLeadingZeros(widest), width);
          byte[] packed = new byte[((degree - 1) * width + 7) / 8];
          data.readBytes(packed, 0, packed.length);
          int previous = neighbors[0];
          for (int i = 1; i < degree; i++) {
            int gap = 0;
            for (int b = 0; b < width; b++) {
              int bit = (i - 1) * width + b;
              gap |= ((packed[bit / 8] >>> (bit % 8)) & 1) << b;
            }
            previous += gap;
            assertEquals(neighbors[i], previous);
          }
        }
      }
    }
  }

  /** Writes the graph after {@code padding} bytes of another field's data; returns its offset. */
  /** Rewrites the graph data file with the byte at {@code at} set to {@code value}. */
  private static void damage(Directory dir, long at, byte value) throws IOException {
    byte[] data;
    try (IndexInput in = dir.openInput("data", IOContext.DEFAULT)) {
      data = new byte[(int) in.length()];
      in.readBytes(data, 0, data.length);
    }
    data[(int) at] = value;
    dir.deleteFile("data");
    try (IndexOutput out = dir.createOutput("data", IOContext.DEFAULT)) {
      out.writeBytes(data, data.length);
    }
  }

  /** The graph the metadata describes, read as this code writes it. */
  private static OffHeapGraph open(IndexInput meta, IndexInput data, int maxConn)
      throws IOException {
    GraphMeta graphMeta = GraphMeta.read(meta, "v", Integer.MAX_VALUE);
    return OffHeapGraph.open(
        data, graphMeta, UpperLayerOffsets.read(data, graphMeta), maxConn,
        RecordEncoding.PACKED_POSITIONS);
  }

  private static long write(Directory dir, OnHeapGraph graph, int maxConn, int padding)
      throws IOException {
    try (IndexOutput meta = dir.createOutput("meta", IOContext.DEFAULT);
        IndexOutput data = dir.createOutput("data", IOContext.DEFAULT)) {
      for (int i = 0; i < padding; i++) {
        data.writeByte((byte) i);
      }
      new GraphWriter(data, meta, 2 * maxConn).write(graph);
      return padding;
    }
  }
}
