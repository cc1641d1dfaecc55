namespace Lockstep.Node.Config;

/// <summary>What a config key holds; environment overrides need it to build the right YAML node.</summary>
internal enum ConfigKeyKind
{
    /// <summary>Free text, taken literally (never read as null, a number or a boolean).</summary>
    Text,

    /// <summary>A number, boolean or enum spelling, read as YAML would read a plain scalar.</summary>
    Scalar,

    /// <summary>A list of scalars; an environment override gives it comma-separated.</summary>
    List,

    /// <summary>A nested mapping (<c>api</c>).</summary>
    Section,

    /// <summary>A list of mappings (<c>devices</c>, <c>folders</c>).</summary>
    Items,
}
