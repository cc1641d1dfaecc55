using System.Text.RegularExpressions;
using Lockstep.Index.Queries;
using Lockstep.Index.Tests.Support;

namespace Lockstep.Index.Tests;

/// <summary>
/// The statements' plans, from SQLite itself: every per-folder read is an index search, never a scan of a
/// table, so its cost follows the rows it returns rather than the size of the index.
/// </summary>
public sealed partial class QueryPlanTests
{
    public static TheoryData<string, string, string> Queries => new()
    {
        { nameof(LocalQueries.Get), LocalQueries.Get, "local_files_name" },
        { nameof(LocalQueries.Inode), LocalQueries.Inode, "local_files_name" },
        { nameof(LocalQueries.UpdateInode), LocalQueries.UpdateInode, "local_files_name" },
        { nameof(LocalQueries.All), LocalQueries.All, "local_files_name" },
        { nameof(LocalQueries.Meta), LocalQueries.Meta, "local_files_name" },
        { nameof(LocalQueries.Subtree), LocalQueries.Subtree, "local_files_name (folder_idx=? AND name>? AND name<?)" },
        { nameof(LocalQueries.Since), LocalQueries.Since, "local_files_sequence (folder_idx=? AND sequence>?)" },
        { nameof(LocalQueries.FindBlock), LocalQueries.FindBlock, "SEARCH b USING PRIMARY KEY (hash=?)" },
        { nameof(RemoteQueries.Get), RemoteQueries.Get, "remote_files_name (folder_idx=? AND device_idx=? AND name=?)" },
        { nameof(RemoteQueries.All), RemoteQueries.All, "remote_files_name (folder_idx=? AND device_idx=?)" },
        { nameof(RemoteQueries.DeleteFiles), RemoteQueries.DeleteFiles, "remote_files_name (folder_idx=? AND device_idx=?)" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Reads_search_an_index(string name, string sql, string expected)
    {
        using var temp = new TempIndex();
        using var connection = temp.Raw();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var parameter in ParameterPattern().Matches(sql).Select(m => m.Value).Distinct())
            command.Parameters.AddWithValue(parameter, 1);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                plan.Add(reader.GetString(3));
        }

        Assert.True(plan.Any(step => step.Contains(expected, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", plan)}");
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex ParameterPattern();
}
