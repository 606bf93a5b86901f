package org.hnswcodec.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;

/** Bytes on disk of an index, by file extension. */
final class IndexFiles {

  private IndexFiles() {}

  /** Total bytes of the index's files per extension ({@code segments_N} files under "segments"). */
  static Map<String, Long> bytesByExtension(Directory directory) throws IOException {
    Map<String, Long> bytes = new TreeMap<>();
    for (String file : directory.listAll()) {
      if (file.equals(IndexWriter.WRITE_LOCK_NAME)) {
        continue;
      }
      String extension = IndexFileNames.getExtension(file);
      String key = extension == null ? IndexFileNames.SEGMENTS : extension;
      bytes.merge(key, directory.fileLength(file), Long::sum);
    }
    return bytes;
  }

  static long total(Map<String, Long> bytesByExtension) {
    return bytesByExtension.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Prints one line per extension with its bytes and share, then the total. */
  static void print(PrintWriter out, Map<String, Long> bytesByExtension, String indent) {
    long total = total(bytesByExtension);
    bytesByExtension.forEach(
        (extension, bytes) ->
            out.printf(
                Locale.ROOT,
                "%s%-9s %,15d  %5.1f%%%n",
                indent,
                extension.equals(IndexFileNames.SEGMENTS) ? extension : "." + extension,
                bytes,
                100.0 * bytes / Math.max(1, total)));
    out.printf(Locale.ROOT, "%s%-9s %,15d%n", indent, "total", total);
  }
}
