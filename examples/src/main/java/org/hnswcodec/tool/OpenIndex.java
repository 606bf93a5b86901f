package org.hnswcodec.tool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * An index directory opened for reading, with a reader of its latest commit. Closing it closes the
 * reader, then the directory.
 */
record OpenIndex(Directory directory, DirectoryReader reader) implements Closeable {

  /** Opens the index in {@code path}. */
  static OpenIndex open(Path path) throws IOException {
    Directory directory = FSDirectory.open(path);
    try {
      return new OpenIndex(directory, DirectoryReader.open(directory));
    } catch (RuntimeException | IOException e) {
      IOUtils.closeWhileHandlingException(directory);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    IOUtils.close(reader, directory);
  }
}
