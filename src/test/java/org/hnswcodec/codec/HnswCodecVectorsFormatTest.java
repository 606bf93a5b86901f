package org.hnswcodec.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.DataAccessHint;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexInput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.VectorSet;

/** Parameters, registration by name, what a segment records, and the files it writes. */
public class HnswCodecVectorsFormatTest extends LuceneTestCase {

  private static final String FIELD = "v";

  public void testParameterValidation() {
    assertParameterError("maxConn (M) must be >= 2 and <= 512; got 1", () -> new HnswCodecVectorsFormat(1, 100));
    assertParameterError("maxConn (M) must be >= 2 and <= 512; got 513", () -> new HnswCodecVectorsFormat(513, 100));
    assertParameterError("beamWidth (efConstruction) must be >= 1 and <= 3200; got 0", () -> new HnswCodecVectorsFormat(16, 0));
    assertParameterError("beamWidth (efConstruction) must be >= 1 and <= 3200; got 3201", () -> new HnswCodecVectorsFormat(16, 3201));
    assertParameterError("defaultEf must be >= 1 and <= 10000; got 0", () -> new HnswCodecVectorsFormat(16, 100, 0));
    assertParameterError("defaultEf must be >= 1 and <= 10000; got -5", () -> new HnswCodecVectorsFormat(16, 100, -5));
    assertParameterError("buildWorkers must be >= 1 and <= 128; got 0", () -> new HnswCodecVectorsFormat(16, 100, 100, 0, null));
    assertParameterError("buildWorkers must be >= 1 and <= 128; got 129", () -> new HnswCodecVectorsFormat(16, 100, 100, 129, null));
    assertParameterError("minGraphSize must be >= 0 and <= 2147483647; got -1", () -> new HnswCodecVectorsFormat(16, 100, 100, 1, null, -1));
    assertParameterError("ef must be >= 1; got 0", () -> new EfSearchStrategy(0));
  }

  private static void assertParameterError(String message, ThrowingRunnable constructor) {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, constructor);
    assertEquals(message, e.getMessage());
  }

  public void testDefaultsAndToString() {
    HnswCodecVectorsFormat format = new HnswCodecVectorsFormat();
    assertEquals(16, format.maxConn());
    assertEquals(100, format.beamWidth());
    assertEquals(100, format.defaultEf());
    assertEquals(1, format.buildWorkers());
    assertEquals(650, format.minGraphSize());
    String s = new HnswCodecVectorsFormat(12, 150, 40).toString();
    assertTrue(s, s.startsWith("HnswCodec10(maxConn=12, beamWidth=150, defaultEf=40, buildWorkers=1, minGraphSize=650, flatVectorFormat="));
    s = new HnswCodecVectorsFormat(12, 150, 40, 2, null, 0).toString();
    assertTrue(s, s.startsWith("HnswCodec10(maxConn=12, beamWidth=150, defaultEf=40, buildWorkers=2, minGraphSize=0, flatVectorFormat="));
    assertTrue(new HnswCodec().toString().startsWith("HnswCodec104(HnswCodec10(maxConn=16"));
  }

  public void testRegisteredByName() {
    assertTrue(KnnVectorsFormat.forName("HnswCodec10") instanceof HnswCodecVectorsFormat);
    assertTrue(Codec.forName("HnswCodec104") instanceof HnswCodec);
    assertEquals("HnswCodec104", new HnswCodec().getName());
  }

  /**
   * A segment keeps the parameters it was written with: it reopens by name, without the writing
   * codec instance, and a query without an ef searches with the recorded default ef.
   */
  public void testSegmentRecordsItsParameters() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 2000, 16, 8);
    try (Directory dir = newFSDirectory(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig().setCodec(new HnswCodec(new HnswCodecVectorsFormat(6, 30, 7)));
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (float[] vector : vectors) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vector, VectorSimilarityFunction.EUCLIDEAN));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = getOnlyLeafReader(reader);
        assertEquals("HnswCodec104", ((org.apache.lucene.index.SegmentReader) leaf).getSegmentInfo().info.getCodec().getName());
        GraphInspector.GraphParams params = GraphInspector.params(leaf, FIELD);
        assertEquals(new GraphInspector.GraphParams(6, 30, 7, false, params.graphBytes()), params);
        assertTrue(params.graphBytes() > 0);

        float[] query = vectors[random().nextInt(vectors.length)];
        long byDefault = visited(leaf, query, null);
        assertEquals(byDefault, visited(leaf, query, new EfSearchStrategy(7)));
        assertTrue(visited(leaf, query, new EfSearchStrategy(200)) > byDefault);

        Map<String, Long> offHeap =
            ((CodecReader) leaf).getVectorReader().getOffHeapByteSize(leaf.getFieldInfos().fieldInfo(FIELD));
        assertEquals(Long.valueOf(params.graphBytes()), offHeap.get("vex"));
        assertEquals(Long.valueOf(2000L * 16 * Float.BYTES), offHeap.get("vec"));
      }
    }
  }

  private static long visited(LeafReader leaf, float[] query, EfSearchStrategy strategy)
      throws IOException {
    TopKnnCollector collector =
        strategy == null
            ? new TopKnnCollector(1, Integer.MAX_VALUE)
            : new TopKnnCollector(1, Integer.MAX_VALUE, strategy);
    leaf.searchNearestVectors(FIELD, query, collector, AcceptDocs.fromLiveDocs(null, leaf.maxDoc()));
    assertEquals(1, collector.topDocs().scoreDocs.length);
    return collector.visitedCount();
  }

  /**
   * A merge has the merging segments' vector files read sequentially (Lucene's flat reader changes
   * its data file's read advice for a merge instance); once the merge is over, the segments, still
   * open in a near-real-time reader, get their searches' random reads back. Lucene 10.5.1's merges
   * never end the merge instances themselves: without our writer doing so, the files stay advised
   * sequential.
   */
  public void testMergedSegmentsGetTheirRandomReadsBack() throws IOException {
    // every context each vector data file is opened or updated with, in order, per opened input
    List<List<IOContext>> vectorDataContexts = new ArrayList<>();
    try (Directory dir =
        new FilterDirectory(newFSDirectory(createTempDir())) {
          @Override
          public IndexInput openInput(String name, IOContext context) throws IOException {
            IndexInput in = super.openInput(name, context);
            if (name.endsWith(".vec") == false) {
              return in;
            }
            List<IOContext> contexts = new ArrayList<>(List.of(context));
            vectorDataContexts.add(contexts);
            return new FilterIndexInput("recording " + name, in) {
              @Override
              public void updateIOContext(IOContext update) throws IOException {
                contexts.add(update);
                in.updateIOContext(update);
              }
            };
          }
        }) {
      HnswCodec codec = new HnswCodec(new HnswCodecVectorsFormat(8, 32, 16, 1, null, 0));
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(codec)
              .setUseCompoundFile(false)
              .setMergePolicy(new LogDocMergePolicy());
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int segment = 0; segment < 2; segment++) {
          for (float[] vector : VectorSet.clustered(random(), 100, 4, 2)) {
            Document doc = new Document();
            doc.add(new KnnFloatVectorField(FIELD, vector, VectorSimilarityFunction.EUCLIDEAN));
            writer.addDocument(doc);
          }
          writer.flush();
        }
        try (DirectoryReader nearRealTime = DirectoryReader.open(writer)) {
          assertEquals(2, nearRealTime.leaves().size());
          writer.forceMerge(1);
        }
      }
    }
    assertTrue(
        "the merge read the vectors sequentially: " + vectorDataContexts,
        vectorDataContexts.stream()
            .anyMatch(contexts -> contexts.stream().anyMatch(c -> readsSequentially(c))));
    for (List<IOContext> contexts : vectorDataContexts) {
      assertFalse(contexts.toString(), readsSequentially(contexts.get(contexts.size() - 1)));
    }
  }

  /** Indexes {@code vectors} as Euclidean with {@code codec} in separate (not compound) files. */
  private static void writeVectors(Directory dir, Codec codec, float[][] vectors)
      throws IOException {
    IndexWriterConfig config = new IndexWriterConfig().setCodec(codec).setUseCompoundFile(false);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (float[] vector : vectors) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, vector, VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(doc);
      }
    }
  }

  private static boolean readsSequentially(IOContext context) {
    return context.hints(DataAccessHint.class).anyMatch(hint -> hint == DataAccessHint.SEQUENTIAL);
  }

  /** Both graph files carry a header with our codec name and version, and a checksummed footer. */
  public void testFilesHaveHeadersAndFootersAndCorruptionIsDetected() throws IOException {
    // a plain directory: the test framework's wrapper would fail the test on close, when it
    // checks the index this test corrupts on purpose
    try (Directory dir = FSDirectory.open(createTempDir())) {
      // every segment with a graph, so that the byte flipped below is one of its records
      HnswCodec codec = new HnswCodec(new HnswCodecVectorsFormat(16, 100, 100, 1, null, 0));
      writeVectors(dir, codec, VectorSet.clustered(random(), 500, 8, 4));
      String vex = null;
      for (String file : dir.listAll()) {
        if (file.endsWith(".vem") || file.endsWith(".vex")) {
          boolean meta = file.endsWith(".vem");
          if (meta == false) {
            vex = file;
          }
          try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
            assertEquals(CodecUtil.CODEC_MAGIC, CodecUtil.readBEInt(in));
            assertEquals(meta ? "HnswCodec10GraphMeta" : "HnswCodec10GraphData", in.readString());
            assertEquals(HnswCodecVectorsFormat.VERSION_CURRENT, CodecUtil.readBEInt(in));
          }
          try (var in = dir.openChecksumInput(file)) {
            in.seek(in.length() - CodecUtil.footerLength());
            CodecUtil.checkFooter(in);
          }
        }
      }
      assertNotNull("no .vex file written", vex);

      // flip one byte in the middle of the graph data: the checksum must catch it
      byte[] bytes;
      try (IndexInput in = dir.openInput(vex, IOContext.READONCE)) {
        bytes = new byte[(int) in.length()];
        in.readBytes(bytes, 0, bytes.length);
      }
      bytes[bytes.length / 2] ^= 0x55;
      dir.deleteFile(vex);
      try (IndexOutput out = dir.createOutput(vex, IOContext.DEFAULT)) {
        out.writeBytes(bytes, bytes.length);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        CodecReader leaf = (CodecReader) getOnlyLeafReader(reader);
        expectThrows(CorruptIndexException.class, () -> leaf.getVectorReader().checkIntegrity());
      }
      try (CheckIndex checker = new CheckIndex(dir)) {
        checker.setInfoStream(null);
        assertFalse(checker.checkIndex().clean);
      }
    }
  }
  /**
   * Before version 3 every field with vectors had a graph with a node per vector: a version-2
   * segment whose graph has none is corrupt, not a segment to search by scoring every vector.
   */
  public void testGraphlessFieldInAnOlderVersionIsCorrupt() throws IOException {
    try (Directory dir = FSDirectory.open(createTempDir())) {
      writeVectors(dir, new HnswCodec(), VectorSet.clustered(random(), 100, 8, 4));
      // as written, below the default minGraphSize: no graph, and every vector scored
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = getOnlyLeafReader(reader);
        assertEquals(0, GraphInspector.graph(leaf, FIELD).size());
        assertEquals(100, visitedWithEf(leaf, 1));
      }
      for (String file : dir.listAll()) {
        if (file.endsWith(".vem") || file.endsWith(".vex")) {
          rewriteHeaderVersion(dir, file, HnswCodecVectorsFormat.VERSION_UNIT_VECTORS);
        }
      }
      CorruptIndexException e =
          expectThrows(CorruptIndexException.class, () -> DirectoryReader.open(dir));
      assertTrue(e.getMessage(), e.getMessage().contains("field \"v\": graph of 0 nodes over 100 vectors"));
    }
  }

  private static long visitedWithEf(LeafReader leaf, int ef) throws IOException {
    return visited(leaf, VectorSet.clustered(random(), 1, 8, 1)[0], new EfSearchStrategy(ef));
  }

  /**
   * Metadata that no writer writes, under a valid checksum (a writer's bug), is reported on open
   * as corruption naming the field and the problem: a graph parameter outside the range the
   * format's constructor allows, a negative field number, and the unit-length mark on a COSINE
   * field whose vectors are not of unit length (its searches would score them as dot products).
   * A field's entry starts [int32 number][int32 encoding][int32 similarity][vInt M (16)][vInt
   * efConstruction (100)][vInt ef (100)][byte unit-length mark].
   */
  public void testImpossibleMetadataIsCorrupt() throws IOException {
    assertCorruptMeta(12, (byte) 1, "field \"v\": maxConn 1 outside [2, 512]");
    assertCorruptMeta(3, (byte) 0xF0, "invalid field number: -"); // little-endian: the high byte
    assertCorruptMeta(15, (byte) 1, "field \"v\": marked unit-length, but vector ");
  }

  /** Writes a COSINE field, sets one byte of its metadata entry and expects {@code message}. */
  private static void assertCorruptMeta(int entryPosition, byte value, String message)
      throws IOException {
    try (Directory dir = FSDirectory.open(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig().setCodec(new HnswCodec()).setUseCompoundFile(false);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, new float[] {1, 2}, VectorSimilarityFunction.COSINE));
        writer.addDocument(doc);
      }
      for (String file : dir.listAll()) {
        if (file.endsWith(".vem")) {
          int headerLength;
          try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
            headerLength = CodecUtil.readIndexHeader(in).length;
          }
          rewriteWithChecksum(dir, file, bytes -> bytes.put(headerLength + entryPosition, value));
        }
      }
      CorruptIndexException e =
          expectThrows(CorruptIndexException.class, () -> DirectoryReader.open(dir));
      assertTrue(e.getMessage(), e.getMessage().contains(message));
    }
  }

  /**
   * Damage to our files never gives an unclear exception or a hit that is not a document scored
   * as itself: each case either fails with a {@link CorruptIndexException}, at open or in a
   * search, or searches return distinct live documents with their exact similarities. Random
   * bytes of {@code .vem} are set with the checksum recomputed (a writer's bug: validation must
   * catch it), random bytes of {@code .vex} flipped without (disk damage: only checkIntegrity
   * verifies it, so the reads must). A graph with M=4 over 1,000 vectors has several layers.
   * Before the checks, a fuzzing of this kind ended one case in five in AssertionError,
   * ArrayIndexOutOfBounds, EOFException or Lucene's IllegalArgumentException.
   */
  public void testDamagedGraphFilesFailCleanly() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 1000, 8, 10);
    float[][] queries = VectorSet.clustered(random(), 3, 8, 3);
    VectorSimilarityFunction similarity = VectorSimilarityFunction.EUCLIDEAN;
    try (Directory dir = FSDirectory.open(createTempDir())) {
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(new HnswCodec(new HnswCodecVectorsFormat(4, 32, 16, 1, null, 10)))
              .setUseCompoundFile(false);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (float[] vector : vectors) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(FIELD, vector, similarity));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      for (String file : dir.listAll()) {
        boolean meta = file.endsWith(".vem");
        if (meta == false && file.endsWith(".vex") == false) {
          continue;
        }
        byte[] original;
        try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
          original = new byte[(int) in.length()];
          in.readBytes(original, 0, original.length);
        }
        int headerLength;
        try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
          headerLength = CodecUtil.readIndexHeader(in).length;
        }
        int body = original.length - headerLength - CodecUtil.footerLength();
        for (int round = 0; round < 150; round++) {
          int position = headerLength + random().nextInt(body);
          byte value =
              (byte)
                  (random().nextBoolean()
                      ? original[position] ^ (1 << random().nextInt(8))
                      : random().nextInt(256));
          if (meta) {
            rewriteWithChecksum(dir, file, bytes -> bytes.put(position, value));
          } else {
            rewriteBytes(dir, file, original, position, value);
          }
          assertSearchesCleanly(dir, vectors, queries, similarity, file + "[" + position + "]=" + value);
          rewriteBytes(dir, file, original, -1, (byte) 0);
        }
      }
    }
  }

  /** Opens and searches {@code dir}: valid hits, or a CorruptIndexException, and nothing else. */
  private static void assertSearchesCleanly(
      Directory dir, float[][] vectors, float[][] queries, VectorSimilarityFunction similarity,
      String damage) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      LeafReader leaf = getOnlyLeafReader(reader);
      for (float[] query : queries) {
        TopKnnCollector collector = new TopKnnCollector(10, Integer.MAX_VALUE);
        leaf.searchNearestVectors(FIELD, query, collector, AcceptDocs.fromLiveDocs(null, leaf.maxDoc()));
        Set<Integer> seen = new HashSet<>();
        for (var hit : collector.topDocs().scoreDocs) {
          assertTrue(damage + ": doc " + hit.doc, hit.doc >= 0 && hit.doc < vectors.length);
          assertTrue(damage + ": doc " + hit.doc + " twice", seen.add(hit.doc));
          assertEquals(damage, similarity.compare(query, vectors[hit.doc]), hit.score, 1e-5f);
        }
      }
    } catch (CorruptIndexException expected) {
      // named damage: what the reader promises
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(damage + ": unclear failure " + e, e);
    }
  }

  /** Writes {@code original} with, unless {@code position} is -1, one byte changed. */
  private static void rewriteBytes(
      Directory dir, String file, byte[] original, int position, byte value) throws IOException {
    byte[] bytes = original.clone();
    if (position >= 0) {
      bytes[position] = value;
    }
    dir.deleteFile(file);
    try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
      out.writeBytes(bytes, bytes.length);
    }
  }

  /**
   * Rewrites the version in a file's index header, [int32 magic][string codec name][int32
   * version]..., as an older writer would have written it.
   */
  private static void rewriteHeaderVersion(Directory dir, String file, int version)
      throws IOException {
    rewriteWithChecksum(
        dir,
        file,
        bytes -> {
          int nameLength = bytes.get(Integer.BYTES); // a one-byte vint: our codec names are short
          bytes.putInt(Integer.BYTES + 1 + nameLength, version);
        });
  }

  /** Edits a file's bytes, then its footer's checksum over everything before it. */
  private static void rewriteWithChecksum(Directory dir, String file, Consumer<ByteBuffer> edit)
      throws IOException {
    byte[] bytes;
    try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
      bytes = new byte[(int) in.length()];
      in.readBytes(bytes, 0, bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    edit.accept(buffer);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    buffer.putLong(bytes.length - Long.BYTES, crc.getValue());
    dir.deleteFile(file);
    try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
      out.writeBytes(bytes, bytes.length);
    }
  }
}
