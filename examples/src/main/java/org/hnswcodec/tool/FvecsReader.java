package org.hnswcodec.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.hnswcodec.examples.TexmexFile;

/** Reads {@code .fvecs} files, through the examples' {@link TexmexFile}. */
final class FvecsReader implements VectorReader {

  private final TexmexFile file;
  private final RowRange rows;
  private long next;

  FvecsReader(Path path, RowRange rows) throws IOException {
    this.file = new TexmexFile(path);
    try {
      this.rows = rows.within(file.rows(), path.toString());
      file.seek(this.rows.start());
    } catch (RuntimeException | IOException e) {
      file.close();
      throw e;
    }
    this.next = this.rows.start();
  }

  @Override
  public int dimension() {
    return file.dimension();
  }

  @Override
  public long size() {
    return rows.size();
  }

  @Override
  public VectorRecord next() throws IOException {
    if (next >= rows.end()) {
      return null;
    }
    float[] vector = new float[file.dimension()];
    file.readFloats(vector);
    return new VectorRecord(next++, vector, Map.of());
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
