package org.hnswcodec.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.ExactNeighbors;
import org.hnswcodec.testutil.VectorSet;

/**
 * Segments written by earlier versions of the format still open, search and merge.
 *
 * <p>{@code index-v0.zip} holds the first 500 bundled SIFT base vectors, indexed by {@code new
 * HnswCodec()} at commit bb98524 (format version 0: neighbour records as group-varint gaps) in
 * two segments of 250 without merging, each document with a float field {@code floats} and a byte
 * field {@code bytes} (each component minus 128), both EUCLIDEAN, and its row as a stored field
 * {@code row}.
 */
public class BackwardsCompatibilityTest extends LuceneTestCase {

  private static final int COUNT = 500;
  private static final int K = 10;

  public void testVersionZeroSearchesAndMerges() throws IOException {
    Path path = createTempDir();
    unzip("index-v0.zip", path);
    float[][] base = Arrays.copyOf(VectorSet.siftBase(), COUNT);
    float[][] queries = Arrays.copyOf(VectorSet.siftQueries(), 20);
    try (Directory dir = FSDirectory.open(path)) {
      SegmentInfos before = SegmentInfos.readLatestCommit(dir);
      assertEquals(2, before.size());
      for (SegmentCommitInfo segment : before) {
        assertEquals(HnswCodecVectorsFormat.VERSION_START, formatVersion(dir, segment));
      }
      TestUtil.checkIndex(dir);
      // measured: 1.0 for both fields (ef=10 walks each segment's graph of 250 nodes)
      assertRecall(dir, base, queries, 0.95);

      IndexWriterConfig config = new IndexWriterConfig().setCodec(new HnswCodec());
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        writer.forceMerge(1);
      }
      SegmentInfos after = SegmentInfos.readLatestCommit(dir);
      assertEquals(1, after.size());
      assertEquals(HnswCodecVectorsFormat.VERSION_CURRENT, formatVersion(dir, after.info(0)));
      TestUtil.checkIndex(dir);
      // measured: 0.965 for both fields (one graph of 500 nodes now, still ef=10)
      assertRecall(dir, base, queries, 0.95);
    }
  }

  private static void assertRecall(Directory dir, float[][] base, float[][] queries, double min)
      throws IOException {
    VectorSimilarityFunction l2 = VectorSimilarityFunction.EUCLIDEAN;
    float[][] bytesAsFloats = new float[base.length][];
    for (int i = 0; i < base.length; i++) {
      bytesAsFloats[i] = VectorSet.toFloats(VectorSet.siftAsBytes(base[i]));
    }
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      double floats = 0;
      double bytes = 0;
      EfSearchStrategy ef = new EfSearchStrategy(K);
      for (float[] query : queries) {
        floats +=
            ExactNeighbors.recall(
                rows(searcher, new KnnFloatVectorQuery("floats", query, K, null, ef)),
                ExactNeighbors.topK(base, query, K, l2),
                K);
        byte[] byteQuery = VectorSet.siftAsBytes(query);
        bytes +=
            ExactNeighbors.recall(
                rows(searcher, new KnnByteVectorQuery("bytes", byteQuery, K, null, ef)),
                ExactNeighbors.topK(bytesAsFloats, VectorSet.toFloats(byteQuery), K, l2),
                K);
      }
      assertTrue("float recall@10: " + floats / queries.length, floats / queries.length >= min);
      assertTrue("byte recall@10: " + bytes / queries.length, bytes / queries.length >= min);
    }
  }

  /** The version in the header of the segment's graph metadata file. */
  private static int formatVersion(Directory dir, SegmentCommitInfo segment) throws IOException {
    String name =
        segment.files().stream().filter(f -> f.endsWith(".vem")).findFirst().orElseThrow();
    String suffix = name.substring(name.indexOf('_', 1) + 1, name.lastIndexOf('.'));
    try (IndexInput in = dir.openInput(name, IOContext.READONCE)) {
      return CodecUtil.checkIndexHeader(
          in,
          HnswCodecVectorsFormat.META_CODEC_NAME,
          HnswCodecVectorsFormat.VERSION_START,
          HnswCodecVectorsFormat.VERSION_CURRENT,
          segment.info.getId(),
          suffix);
    }
  }

  private static int[] rows(IndexSearcher searcher, Query query) throws IOException {
    ScoreDoc[] hits = searcher.search(query, K).scoreDocs;
    int[] rows = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      rows[i] =
          searcher.storedFields().document(hits[i].doc).getField("row").numericValue().intValue();
    }
    return rows;
  }

  private static void unzip(String resource, Path dir) throws IOException {
    try (InputStream in = BackwardsCompatibilityTest.class.getResourceAsStream(resource);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Files.copy(zip, dir.resolve(entry.getName()));
      }
    }
  }
}
