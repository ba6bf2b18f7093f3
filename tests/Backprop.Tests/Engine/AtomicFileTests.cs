using System.Text;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tests.Engine;

// What "atomic" promises, observed from outside: a reader never sees a half-written model, a
// failed write leaves the old file, and nothing is left behind, not even by a killed writer.
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static MlpRegressor Fitted(ulong seed)
    {
        var model = new MlpRegressor(new RegressorOptions { HiddenLayers = [4], Epochs = 3, Seed = seed });
        model.Fit(Datasets.Friedman1(64, seed));
        return model;
    }

    [Fact]
    public void The_file_is_not_there_under_its_name_until_it_is_complete()
    {
        string path = PathOf("m.json");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, stream =>
        {
            stream.Write("new, half"u8);
            stream.Flush();
            Assert.Equal("old", File.ReadAllText(path)); // mid-write, the name still holds the old content
            stream.Write(" and the rest"u8);
        });
        Assert.Equal("new, half and the rest", File.ReadAllText(path));
        Assert.Equal(["m.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        string path = PathOf("m.json");
        File.WriteAllText(path, "old");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("the writer failed");
        }));
        Assert.Equal("the writer failed", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["m.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_reader_that_opened_the_model_before_a_save_keeps_reading_the_old_one_whole()
    {
        // A save that rewrote the file in place would change (or truncate) what an open reader
        // sees; renaming a new file over the name leaves the reader on the old one.
        string path = PathOf("model.json");
        var first = Fitted(1);
        ModelFile.Save(first, path);
        byte[] before = File.ReadAllBytes(path);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        ModelFile.Save(Fitted(2), path);

        var old = ModelFile.ToModel(ModelFile.Read(reader, "model.json"));
        Assert.Equal(first.GetParameters(), old.GetParameters());
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.Equal(["model.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_removes_temporaries_that_killed_writers_left_behind()
    {
        string path = PathOf("m.json");
        // No process has this id (Linux allows at most 2^22, Windows ids are multiples of 4).
        string stale = PathOf($".m.json.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        // This process is alive, so its temporary may be mid-write: left alone.
        string live = PathOf($".m.json.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        // Another file's temporary, and a file that only looks like one: not this write's business.
        string other = PathOf($".n.json.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        string lookalike = PathOf($".m.json.{int.MaxValue}.notaguid.tmp");
        foreach (string file in new[] { stale, live, other, lookalike })
            File.WriteAllBytes(file, new byte[128]);

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes("new")));

        Assert.False(File.Exists(stale), "the dead writer's temporary is still there");
        Assert.True(File.Exists(live) && File.Exists(other) && File.Exists(lookalike));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void The_folder_is_flushed_where_it_exists()
    {
        // The rename's durability: the folder itself is flushed (fsync) after the rename. A flush
        // that did nothing would also report success for a folder that is not there.
        Assert.True(FolderFlush.Flush(_folder));
        Assert.False(FolderFlush.Flush(PathOf("no-such-folder")));
    }
}
