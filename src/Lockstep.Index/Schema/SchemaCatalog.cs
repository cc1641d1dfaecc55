using System.Reflection;

namespace Lockstep.Index.Schema;

/// <summary>
/// The scripts that define a schema version: the idempotent schema files (run at every open, in order)
/// and the migrations (run once each, to reach the version they are numbered for). The real catalog is
/// <see cref="Embedded"/>; tests build others to exercise upgrades the shipped history does not have yet.
/// </summary>
internal sealed class SchemaCatalog
{
    private const string SchemaPrefix = "Sql/Schema/";
    private const string MigrationsPrefix = "Sql/Migrations/";

    private static readonly Lazy<SchemaCatalog> EmbeddedCatalog = new(LoadEmbedded);

    public SchemaCatalog(int currentVersion, IEnumerable<SqlScript> schema, IEnumerable<SqlScript> migrations)
    {
        if (currentVersion < 1)
            throw new ArgumentOutOfRangeException(nameof(currentVersion), currentVersion, "schema versions start at 1");
        CurrentVersion = currentVersion;
        Schema = schema.OrderBy(s => s.Number).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray();
        Migrations = migrations.OrderBy(m => m.Number).ToArray();
        // Version 0 means "empty file" and version 1 is the first schema, which nothing migrates to.
        foreach (var m in Migrations)
        {
            if (m.Number < 2 || m.Number > currentVersion)
                throw new ArgumentException($"migration '{m.Name}' produces version {m.Number}, outside 2..{currentVersion}");
        }
        var duplicate = Migrations.GroupBy(m => m.Number).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"more than one migration produces version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}");
    }

    /// <summary>The scripts embedded in this assembly, at <see cref="IndexDatabase.CurrentSchemaVersion"/>.</summary>
    public static SchemaCatalog Embedded => EmbeddedCatalog.Value;

    public int CurrentVersion { get; }

    public IReadOnlyList<SqlScript> Schema { get; }

    public IReadOnlyList<SqlScript> Migrations { get; }

    private static SchemaCatalog LoadEmbedded()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        var names = assembly.GetManifestResourceNames().Select(n => n.Replace('\\', '/')).ToArray();
        return new SchemaCatalog(
            IndexDatabase.CurrentSchemaVersion,
            names.Where(n => n.StartsWith(SchemaPrefix, StringComparison.Ordinal)).Select(n => Load(assembly, n)),
            names.Where(n => n.StartsWith(MigrationsPrefix, StringComparison.Ordinal)).Select(n => Load(assembly, n)));
    }

    private static SqlScript Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded SQL script '{name}' is missing");
        using var reader = new StreamReader(stream);
        return new SqlScript(name, reader.ReadToEnd());
    }
}
