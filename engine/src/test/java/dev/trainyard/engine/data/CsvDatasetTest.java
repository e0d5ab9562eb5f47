package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private String error(CsvDataset.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void labelByNameWithHeader() throws IOException {
        Path f = write("iris.csv", "sepal_length,species,petal_length\n5.1,0,1.4\n\n4.9, 2 ,1.5\n6.3,1,6.0\n");
        var ds = CsvDataset.builder(f).label("species").build();
        assertEquals(3, ds.size());
        assertEquals(List.of("sepal_length", "petal_length"), ds.featureNames());
        assertEquals("species", ds.labelName());
        assertArrayEquals(new int[] {3, 2}, ds.features().shape());
        assertArrayEquals(new float[] {5.1f, 1.4f, 4.9f, 1.5f, 6.3f, 6.0f}, ds.features().toFloatArray());
        assertEquals(DType.INT64, ds.labels().dtype());
        assertArrayEquals(new long[] {0, 2, 1}, ds.labels().toLongArray());
        Sample s = ds.get(1);
        assertArrayEquals(new float[] {4.9f, 1.5f}, s.x().toFloatArray());
        assertEquals(2, s.y().itemLong());
        assertEquals(List.of(), ds.classes());
    }

    @Test
    void labelByIndexWithoutHeaderAndStringClasses() throws IOException {
        Path f = write("data.csv", "setosa;1;2\n\"virginica\";3;4\nversicolor;5;\"6\"\nsetosa;7;8\n");
        var ds = CsvDataset.builder(f).header(false).delimiter(';').label(0).build();
        assertEquals(List.of("setosa", "versicolor", "virginica"), ds.classes());
        assertArrayEquals(new long[] {0, 2, 1, 0}, ds.labels().toLongArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, ds.features().toFloatArray());
        assertEquals(List.of("1", "2"), ds.featureNames());
    }

    @Test
    void lastColumnByDefaultAndFloatLabels() throws IOException {
        Path f = write("reg.csv", "a,b,target\n1,2,0.5\n3,4,-1.25\n");
        var ds = CsvDataset.builder(f).floatLabels(true).build();
        assertEquals(DType.FLOAT32, ds.labels().dtype());
        assertArrayEquals(new float[] {0.5f, -1.25f}, ds.labels().toFloatArray());
        var byNegative = CsvDataset.builder(f).label(-2).floatLabels(true).build();
        assertEquals("b", byNegative.labelName());
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        Path ragged = write("ragged.csv", "a,b,y\n1,2,0\n3,4\n");
        String msg = error(CsvDataset.builder(ragged));
        assertTrue(msg.contains("ragged.csv line 3: expected 3 columns (as in the header), found 2"), msg);

        Path bad = write("bad.csv", "a,b,y\n1,2,0\n3,x4,1\n");
        msg = error(CsvDataset.builder(bad));
        assertTrue(msg.contains("bad.csv line 3: value 'x4' in column 'b' (1) is not a number"), msg);

        Path empty = write("empty.csv", "a,b,y\n1,,0\n");
        msg = error(CsvDataset.builder(empty));
        assertTrue(msg.contains("empty.csv line 2: empty value in column 'b'"), msg);

        Path ok = write("ok.csv", "a,b,y\n1,2,0\n");
        msg = error(CsvDataset.builder(ok).label("target"));
        assertTrue(msg.contains("label column 'target' not found in the header [a, b, y]"), msg);
        msg = error(CsvDataset.builder(ok).label(5));
        assertTrue(msg.contains("label column index 5 is out of range for 3 columns"), msg);

        Path fractional = write("frac.csv", "a,y\n1,0\n2,1.5\n");
        msg = error(CsvDataset.builder(fractional));
        assertTrue(msg.contains("frac.csv line 3: label '1.5' in column 'y' is not a class index"), msg);

        Path noRows = write("header-only.csv", "a,y\n");
        msg = error(CsvDataset.builder(noRows));
        assertTrue(msg.contains("no data rows"), msg);

        msg = error(CsvDataset.builder(dir.resolve("missing.csv")));
        assertTrue(msg.contains("missing.csv: file not found"), msg);

        Path quote = write("quote.csv", "a,y\n\"1,0\n");
        msg = error(CsvDataset.builder(quote));
        assertTrue(msg.contains("quote.csv line 2: unterminated quoted field"), msg);
    }

    @Test
    void loadsIntoADataLoader() throws IOException {
        Path f = write("small.csv", "x1,x2,y\n1,2,0\n3,4,1\n5,6,0\n");
        var ds = CsvDataset.builder(f).build();
        var batches = new java.util.ArrayList<Batch>();
        DataLoader.builder(ds).batchSize(2).build().forEach(batches::add);
        assertArrayEquals(new int[] {2, 2}, batches.getFirst().x().shape());
        assertArrayEquals(new long[] {0, 1}, batches.getFirst().y().toLongArray());
    }
}
