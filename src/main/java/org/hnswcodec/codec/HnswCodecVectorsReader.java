package org.hnswcodec.codec;

import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.DataAccessHint;
import org.apache.lucene.store.FileDataHint;
import org.apache.lucene.store.FileTypeHint;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.CloseableThreadLocal;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.hnswcodec.disk.GraphMeta;
import org.hnswcodec.disk.OffHeapGraph;
import org.hnswcodec.disk.RecordEncoding;
import org.hnswcodec.disk.UpperLayerOffsets;
import org.hnswcodec.merge.ReusableGraphs;
import org.hnswcodec.search.GraphSearch;
import org.hnswcodec.search.KeptSearcher;

/**
 * Reads the files of {@link HnswCodecVectorsFormat}: the metadata file whole at open, the graph data
 * file off-heap, the vectors through the flat format's reader (each searching thread opens a
 * field's graph once, and its vectors where it scores them as indexed). A field written without a
 * graph (fewer vectors than the format's {@code minGraphSize}) is searched by scoring every
 * vector.
 *
 * <p>It is deliberately not a Lucene {@code HnswGraphProvider}: Lucene 10.5's merge into its own
 * HNSW format starts from any provider's graph and keeps its neighbour lists, but writes the
 * merged graph with its own M and reads at most 2M neighbours a node, so a graph built with a
 * larger M than the target's would leave a segment Lucene cannot search (it does so between two
 * of its own formats of different M). Without a provider, an index moving to Lucene's format gets
 * graphs Lucene builds afresh.
 */
final class HnswCodecVectorsReader extends KnnVectorsReader implements ReusableGraphs {

  private final FieldInfos fieldInfos;
  private final FlatVectorsReader flatReader;
  private final boolean searchesRawVectors;
  private final Map<String, FieldEntry> fields;
  private final IndexInput graphData;

  /**
   * What each thread keeps open, by field, to search: opened once per thread and field rather than
   * per search. Opening a graph slices the graph data file twice (its records, layer 0's offsets),
   * which a profile put at 2–3% of a search of the 700 MiniLM passages at ef=10 (paired runs: 1.02×
   * there, 1.007× and 1.020× on SIFT); the flat format's vector values for a scorer slice the vector
   * data file again and name the slice, another 5%. An open graph keeps a read position and a
   * record buffer, and vector values a read buffer, so they serve one thread, as the stored-fields
   * reader Lucene keeps per thread does.
   */
  private final CloseableThreadLocal<Map<FieldEntry, OpenField>> openFields;

  /** How far from 1 a marked field's squared length may be when the mark is spot-checked. */
  private static final float MARK_CHECK_TOLERANCE =
      100 * HnswCodecVectorsFormat.UNIT_NORM_TOLERANCE;

  /** How this segment's neighbour records are encoded, by its format version. */
  private final RecordEncoding recordEncoding;

  /**
   * One field's metadata, and its upper layers' record offsets (null until the graph data file is
   * open).
   *
   * @param unitLength whether the field is float32 COSINE with only unit-length vectors, which
   *     are then scored with a dot product
   * @param vectorCount the field's number of vectors, as the flat format holds them
   * @param graph the graph's metadata; a graph of 0 nodes over vectors means the field has no
   *     graph in this segment
   */
  record FieldEntry(
      FieldInfo info,
      int maxConn,
      int beamWidth,
      int defaultEf,
      boolean unitLength,
      int vectorCount,
      GraphMeta graph,
      UpperLayerOffsets upperOffsets) {}

  /**
   * @param searchesRawVectors whether the flat format's searches score the vectors as indexed; if
   *     not, they score its quantized copy through its own scorer for the field, and cosine over
   *     unit-length vectors is not scored as a dot product, which would ask the flat format for a
   *     scorer over the raw vectors
   */
  HnswCodecVectorsReader(
      SegmentReadState state, FlatVectorsReader flatReader, boolean searchesRawVectors)
      throws IOException {
    this.fieldInfos = state.fieldInfos;
    this.flatReader = flatReader;
    this.searchesRawVectors = searchesRawVectors;
    this.fields = new HashMap<>();
    this.openFields = new OpenFields();
    String metaName =
        IndexFileNames.segmentFileName(
            state.segmentInfo.name, state.segmentSuffix, HnswCodecVectorsFormat.META_EXTENSION);
    int version;
    try (ChecksumIndexInput meta = state.directory.openChecksumInput(metaName)) {
      Throwable priorE = null;
      version = -1;
      try {
        version =
            CodecUtil.checkIndexHeader(
                meta,
                HnswCodecVectorsFormat.META_CODEC_NAME,
                HnswCodecVectorsFormat.VERSION_START,
                HnswCodecVectorsFormat.VERSION_CURRENT,
                state.segmentInfo.getId(),
                state.segmentSuffix);
        readFields(meta, version);
      } catch (Throwable t) {
        priorE = t;
      } finally {
        CodecUtil.checkFooter(meta, priorE);
      }
    }
    String graphName =
        IndexFileNames.segmentFileName(
            state.segmentInfo.name, state.segmentSuffix, HnswCodecVectorsFormat.GRAPH_EXTENSION);
    IndexInput in =
        state.directory.openInput(
            graphName,
            state.context.withHints(
                FileTypeHint.DATA, FileDataHint.KNN_VECTORS, DataAccessHint.RANDOM));
    boolean success = false;
    try {
      int graphVersion =
          CodecUtil.checkIndexHeader(
              in,
              HnswCodecVectorsFormat.GRAPH_CODEC_NAME,
              HnswCodecVectorsFormat.VERSION_START,
              HnswCodecVectorsFormat.VERSION_CURRENT,
              state.segmentInfo.getId(),
              state.segmentSuffix);
      if (graphVersion != version) {
        throw new CorruptIndexException(
            "format versions mismatch: meta=" + version + ", graph=" + graphVersion, in);
      }
      long dataStart = in.getFilePointer();
      CodecUtil.retrieveChecksum(in);
      long dataEnd = in.length() - CodecUtil.footerLength();
      for (Map.Entry<String, FieldEntry> field : fields.entrySet()) {
        FieldEntry entry = field.getValue();
        entry.graph().checkWithin(dataStart, dataEnd, in, field.getKey());
        field.setValue(
            new FieldEntry(
                entry.info(), entry.maxConn(), entry.beamWidth(), entry.defaultEf(),
                entry.unitLength(), entry.vectorCount(), entry.graph(),
                UpperLayerOffsets.read(in, entry.graph())));
      }
      success = true;
    } finally {
      if (success == false) {
        IOUtils.closeWhileHandlingException(in);
      }
    }
    this.graphData = in;
    this.recordEncoding =
        version >= HnswCodecVectorsFormat.VERSION_LAYER_POSITIONS
            ? RecordEncoding.PACKED_POSITIONS
            : version >= HnswCodecVectorsFormat.VERSION_PACKED_GAPS
                ? RecordEncoding.PACKED_GAPS
                : RecordEncoding.GROUP_VARINT_GAPS;
  }

  private HnswCodecVectorsReader(HnswCodecVectorsReader other, FlatVectorsReader flatReader) {
    this.fieldInfos = other.fieldInfos;
    this.flatReader = flatReader;
    this.searchesRawVectors = other.searchesRawVectors;
    this.fields = other.fields;
    this.graphData = other.graphData;
    this.recordEncoding = other.recordEncoding;
    this.openFields = other.openFields;
  }

  /** Each thread's open fields; {@link #fields} never changes once the reader is open. */
  private static final class OpenFields extends CloseableThreadLocal<Map<FieldEntry, OpenField>> {
    @Override
    protected Map<FieldEntry, OpenField> initialValue() {
      return new IdentityHashMap<>();
    }
  }

  /**
   * A field as one thread searches it: its graph, its vectors as the flat format reads them (or
   * null where searches score the flat format's quantized copy, whose scorer the flat format builds
   * from its own values), and the searcher it keeps between searches.
   */
  private record OpenField(OffHeapGraph graph, KnnVectorValues vectors, KeptSearcher searcher) {}

  private void readFields(ChecksumIndexInput meta, int version) throws IOException {
    for (int number = meta.readInt(); number != -1; number = meta.readInt()) {
      FieldInfo info = number < 0 ? null : fieldInfos.fieldInfo(number);
      if (info == null) {
        throw new CorruptIndexException("invalid field number: " + number, meta);
      }
      int encoding = meta.readInt();
      if (encoding != info.getVectorEncoding().ordinal()) {
        throw new CorruptIndexException(
            "field \"" + info.name + "\": vector encoding " + encoding + " in the graph metadata, "
                + info.getVectorEncoding() + " in the field infos", meta);
      }
      int similarity = meta.readInt();
      if (similarity < 0 || similarity >= HnswCodecVectorsFormat.SIMILARITY_FUNCTIONS.size()) {
        throw new CorruptIndexException(
            "field \"" + info.name + "\": invalid similarity function number " + similarity, meta);
      }
      VectorSimilarityFunction function = HnswCodecVectorsFormat.SIMILARITY_FUNCTIONS.get(similarity);
      if (function != info.getVectorSimilarityFunction()) {
        throw new CorruptIndexException(
            "field \"" + info.name + "\": similarity " + function + " in the graph metadata, "
                + info.getVectorSimilarityFunction() + " in the field infos", meta);
      }
      int maxConn = checkParameter(info, "maxConn", meta, 2, HnswCodecVectorsFormat.MAX_MAX_CONN);
      int beamWidth =
          checkParameter(info, "beamWidth", meta, 1, HnswCodecVectorsFormat.MAX_BEAM_WIDTH);
      int defaultEf =
          checkParameter(info, "defaultEf", meta, 1, HnswCodecVectorsFormat.MAX_DEFAULT_EF);
      boolean unitLength = false;
      if (version >= HnswCodecVectorsFormat.VERSION_UNIT_VECTORS) {
        byte flag = meta.readByte();
        if (flag != 0 && (flag != 1 || function != VectorSimilarityFunction.COSINE
            || info.getVectorEncoding() != VectorEncoding.FLOAT32)) {
          throw new CorruptIndexException(
              "field \"" + info.name + "\": invalid unit-length flag " + flag + " for "
                  + info.getVectorEncoding() + " " + function, meta);
        }
        unitLength = flag == 1;
      }
      KnnVectorValues vectors = vectorValues(info);
      // bounded by the field's vectors before anything is sized by it
      GraphMeta graph = GraphMeta.read(meta, info.name, vectors.size());
      checkGraph(info, graph, unitLength, vectors, version, meta);
      FieldEntry previous =
          fields.put(
              info.name,
              new FieldEntry(
                  info, maxConn, beamWidth, defaultEf, unitLength, vectors.size(), graph, null));
      if (previous != null) {
        throw new CorruptIndexException("field \"" + info.name + "\": listed twice", meta);
      }
    }
  }

  /** Reads a graph parameter, which the format's constructor held to {@code [min, max]}. */
  private static int checkParameter(FieldInfo info, String name, DataInput meta, int min, int max)
      throws IOException {
    int value = meta.readVInt();
    if (value < min || value > max) {
      throw new CorruptIndexException(
          "field \"" + info.name + "\": " + name + " " + value + " outside [" + min + ", " + max
              + "]",
          meta);
    }
    return value;
  }

  /**
   * Checks that a field's graph has a node per vector, or, from version 3, no node at all: a
   * graph of another size would be searched over ordinals that are not the field's. And, for a
   * field marked unit-length, spot-checks the mark, under which searches score cosine as a dot
   * product: one vector read, rather than hits scored wrongly. Only over raw vectors: a quantized
   * copy's dequantized values drift from unit length. With a bound a hundred times the writer's:
   * a squared length summed in another order (another JVM, the Vector API on or off) may land on
   * the other side of the writer's, and a good segment must still open.
   */
  private void checkGraph(
      FieldInfo info,
      GraphMeta graph,
      boolean unitLength,
      KnnVectorValues vectors,
      int version,
      DataInput meta)
      throws IOException {
    int nodes = graph.size();
    boolean graphless = nodes == 0 && version >= HnswCodecVectorsFormat.VERSION_GRAPHLESS_SEGMENTS;
    if (nodes != vectors.size() && graphless == false) {
      throw new CorruptIndexException(
          "field \"" + info.name + "\": graph of " + nodes + " nodes over " + vectors.size()
              + " vectors", meta);
    }
    if (unitLength
        && searchesRawVectors
        && vectors.size() > 0
        && vectors instanceof FloatVectorValues floats) {
      int ord = Math.max(0, graph.entryNode());
      float[] vector = floats.vectorValue(ord);
      float squaredLength = VectorUtil.dotProduct(vector, vector);
      if (Math.abs(squaredLength - 1) > MARK_CHECK_TOLERANCE) {
        throw new CorruptIndexException(
            "field \"" + info.name + "\": marked unit-length, but vector " + ord
                + " has squared length " + squaredLength,
            meta);
      }
    }
  }

  private KnnVectorValues vectorValues(FieldInfo info) throws IOException {
    return switch (info.getVectorEncoding()) {
      case BYTE -> flatReader.getByteVectorValues(info.name);
      case FLOAT32 -> flatReader.getFloatVectorValues(info.name);
    };
  }

  /** The metadata of a field, for tools that inspect graphs. */
  FieldEntry fieldEntry(String field) {
    return fields.get(field);
  }

  /**
   * Opens a field's graph for an inspection or a merge (searches use their thread's, {@link
   * #openFields}); null if the field has no vectors here, empty if it has no graph.
   */
  @Override
  public OffHeapGraph graph(String field) throws IOException {
    FieldEntry entry = fields.get(field);
    return entry == null ? null : openGraph(entry);
  }

  private OffHeapGraph openGraph(FieldEntry entry) throws IOException {
    return OffHeapGraph.open(
        graphData, entry.graph(), entry.upperOffsets(), entry.maxConn(), recordEncoding);
  }

  @Override
  public int maxConn(String field) {
    return fields.get(field).maxConn();
  }

  @Override
  public void checkIntegrity() throws IOException {
    flatReader.checkIntegrity();
    CodecUtil.checksumEntireFile(graphData);
  }

  @Override
  public FloatVectorValues getFloatVectorValues(String field) throws IOException {
    return flatReader.getFloatVectorValues(field);
  }

  @Override
  public ByteVectorValues getByteVectorValues(String field) throws IOException {
    return flatReader.getByteVectorValues(field);
  }

  @Override
  public void search(String field, float[] target, KnnCollector collector, AcceptDocs acceptDocs)
      throws IOException {
    FieldEntry entry = entry(field, VectorEncoding.FLOAT32);
    VectorChecks.checkQuery(entry.info(), target);
    if (entry.vectorCount() == 0) {
      return;
    }
    OpenField open = openField(entry);
    RandomVectorScorer scorer;
    if (searchesRawVectors == false) {
      scorer = flatReader.getRandomVectorScorer(field, target);
    } else if (entry.unitLength()) {
      // cosine over unit-length vectors is their dot product, for a third of the arithmetic of
      // Lucene's cosine, which also sums both squared norms
      scorer = rawScorer(field, VectorSimilarityFunction.DOT_PRODUCT, open, unitQuery(target));
    } else {
      scorer = rawScorer(field, entry.info().getVectorSimilarityFunction(), open, target);
    }
    searchGraph(entry, open, scorer, collector, acceptDocs);
  }

  /**
   * The query scaled to unit length, as {@link VectorUtil#l2normalize} scales it: the query itself
   * when it is unit length already, within the same tolerance (embedding models' queries usually
   * are), rather than a copy.
   */
  private static float[] unitQuery(float[] target) {
    return VectorUtil.isUnitVector(target) ? target : VectorUtil.l2normalize(target.clone());
  }

  /**
   * Scores the thread's open vectors of a field against a float query, as the flat format's own
   * {@code getRandomVectorScorer} would over vector values it opened for the search.
   */
  private RandomVectorScorer rawScorer(
      String field, VectorSimilarityFunction similarity, OpenField open, float[] target)
      throws IOException {
    return flatReader
        .getFlatVectorScorer(field)
        .getRandomVectorScorer(similarity, open.vectors(), target);
  }

  @Override
  public void search(String field, byte[] target, KnnCollector collector, AcceptDocs acceptDocs)
      throws IOException {
    FieldEntry entry = entry(field, VectorEncoding.BYTE);
    VectorChecks.checkQuery(entry.info(), target);
    if (entry.vectorCount() == 0) {
      return;
    }
    OpenField open = openField(entry);
    RandomVectorScorer scorer =
        searchesRawVectors
            ? flatReader
                .getFlatVectorScorer(field)
                .getRandomVectorScorer(
                    entry.info().getVectorSimilarityFunction(), open.vectors(), target)
            : flatReader.getRandomVectorScorer(field, target);
    searchGraph(entry, open, scorer, collector, acceptDocs);
  }

  /**
   * Searches the thread's open graph of a field, a visit costing what {@link GraphSearch#visitCost}
   * says for the field's dimension and the vectors its searches score: a quantized copy for a float
   * field under a quantizing flat format; byte fields are scored as indexed under either.
   */
  private void searchGraph(
      FieldEntry entry,
      OpenField open,
      RandomVectorScorer scorer,
      KnnCollector collector,
      AcceptDocs acceptDocs)
      throws IOException {
    boolean quantized =
        searchesRawVectors == false
            && entry.info().getVectorEncoding() == VectorEncoding.FLOAT32;
    double visitCost = GraphSearch.visitCost(entry.info().getVectorDimension(), quantized);
    GraphSearch.search(
        open.graph(), scorer, collector, acceptDocs, entry.defaultEf(), visitCost, open.searcher());
  }

  /** The calling thread's open graph and vectors of a field, opened on its first search. */
  private OpenField openField(FieldEntry entry) throws IOException {
    Map<FieldEntry, OpenField> open = openFields.get();
    OpenField field = open.get(entry);
    if (field == null) {
      field =
          new OpenField(
              openGraph(entry),
              searchesRawVectors ? vectorValues(entry.info()) : null,
              new KeptSearcher());
      open.put(entry, field);
    }
    return field;
  }

  private FieldEntry entry(String field, VectorEncoding expected) {
    FieldEntry entry = fields.get(field);
    if (entry == null) {
      throw new IllegalArgumentException("field \"" + field + "\" has no vectors indexed");
    }
    if (entry.info().getVectorEncoding() != expected) {
      throw new IllegalArgumentException(
          "field \"" + field + "\" is encoded as " + entry.info().getVectorEncoding()
              + ", not " + expected);
    }
    return entry;
  }

  @Override
  public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
    FieldEntry entry = fields.get(fieldInfo.name);
    Map<String, Long> flat = flatReader.getOffHeapByteSize(fieldInfo);
    if (entry == null) {
      return flat;
    }
    return mergeOffHeapByteSizeMaps(
        flat, Map.of(HnswCodecVectorsFormat.GRAPH_EXTENSION, entry.graph().graphLength()));
  }

  @Override
  public KnnVectorsReader getMergeInstance() throws IOException {
    return new HnswCodecVectorsReader(this, flatReader.getMergeInstance());
  }

  /**
   * Hands the end of a merge to the flat reader, whose merge instance reads the vectors
   * sequentially until told, as Lucene's HNSW reader does. Lucene 10.5.1's merges never call this
   * (apache/lucene#16419), so our writer does, for the readers it merged from ({@link
   * HnswCodecVectorsWriter}); a call more, once Lucene makes it too, changes nothing.
   */
  @Override
  public void finishMerge() throws IOException {
    flatReader.finishMerge();
  }

  /**
   * The reader of this format behind {@code reader} for {@code field}, looking through Lucene's
   * per-field reader; null if the field is read by another format.
   */
  static HnswCodecVectorsReader ofField(KnnVectorsReader reader, String field) {
    if (reader instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
      reader = perField.getFieldReader(field);
    }
    return reader instanceof HnswCodecVectorsReader ours ? ours : null;
  }

  @Override
  public void close() throws IOException {
    openFields.close();
    IOUtils.close(flatReader, graphData);
  }
}
