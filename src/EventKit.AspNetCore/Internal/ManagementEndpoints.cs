using EventKit.Gates.Ble;
using EventKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventKit.AspNetCore.Internal;

internal static class ManagementEndpoints
{
    public static async Task<IResult> CreateGateAsync(HttpContext context, IGateRegistry gates, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ApiJsonContext.Default.NewGateBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Name) || body.Name.Length > Gate.MaxNameLength)
        {
            return Problems.InvalidField("name", $"name must be 1 to {Gate.MaxNameLength} characters.");
        }

        if (TextRules.Problem("name", body.Name) is { } nameProblem)
        {
            return Problems.InvalidField("name", nameProblem);
        }

        var kind = GateKind.Entrance;
        if (body.Kind is not null && !WireNames<GateKind>.TryParse(body.Kind, out kind))
        {
            return Problems.InvalidField("kind", "kind must be one of entrance, exit, session.");
        }

        var gate = await gates.CreateAsync(eventKit.Value.EventId, body.Name, kind, body.Open ?? true, context.RequestAborted).ConfigureAwait(false);
        await audit.RecordAsync(context, "gate.create", "gate", gate.Id, null, AuditTrail.Values(("name", gate.Name), ("kind", WireNames<GateKind>.Of(gate.Kind)), ("open", gate.IsOpen))).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/gates/{gate.Id}", new CreatedResponse(gate.Id));
    }

    public static async Task<IResult> PatchGateAsync(long id, HttpContext context, IGateRegistry gates, IGateDirectory directory, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ApiJsonContext.Default.GatePatchBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Open is not { } open)
        {
            return Problems.InvalidField("open", "open is required (true or false).");
        }

        // Another event's gate (nodes of several events may share a database) does not exist here.
        var gate = id > 0 ? await directory.GetAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
        if (gate is null || gate.EventId != eventKit.Value.EventId || !await gates.SetOpenAsync(id, open, context.RequestAborted).ConfigureAwait(false))
        {
            return Problems.NotFound("unknown_gate", $"Gate {id} does not exist.");
        }

        await audit.RecordAsync(context, "gate.update", "gate", id, AuditTrail.Values(("open", gate.IsOpen)), AuditTrail.Values(("open", open))).ConfigureAwait(false);
        return TypedResults.Ok();
    }

    public static async Task<IResult> ImportParticipantsAsync(HttpContext context, IParticipantRegistry registry, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var limits = options.Value;
        var (body, problem) = await RequestBody.ReadArrayAsync(
            context.Request,
            limits.MaxImportBodyBytes,
            ApiJsonContext.Default.NewParticipantBodyArray,
            limits.MaxImportItems,
            () => Problems.InvalidField("items", $"Send 1 to {limits.MaxImportItems} participants per call."),
            context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Length == 0 || body.Length > limits.MaxImportItems)
        {
            return Problems.InvalidField("items", $"Send 1 to {limits.MaxImportItems} participants per call.");
        }

        var items = new NewParticipant[body.Length];
        for (var i = 0; i < body.Length; i++)
        {
            var item = body[i];
            var status = ParticipantStatus.Active;
            if (item is null)
            {
                return ItemProblem(i, "item", "is null.");
            }

            if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > Participant.MaxNameLength)
            {
                return ItemProblem(i, "name", $"name must be 1 to {Participant.MaxNameLength} characters.");
            }

            if (item.Email is { Length: > Participant.MaxEmailLength })
            {
                return ItemProblem(i, "email", $"email must be at most {Participant.MaxEmailLength} characters.");
            }

            if (item.ExternalRef is { Length: > Participant.MaxExternalRefLength })
            {
                return ItemProblem(i, "externalRef", $"externalRef must be at most {Participant.MaxExternalRefLength} characters.");
            }

            foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)[("name", item.Name), ("email", item.Email), ("externalRef", item.ExternalRef)])
            {
                if (TextRules.Problem(field, value) is { } textProblem)
                {
                    return ItemProblem(i, field, textProblem);
                }
            }

            if (item.Credential is null || CredentialHash.Validate(item.Credential) is not null)
            {
                return ItemProblem(i, "credential", CredentialHash.Validate(item.Credential ?? "") ?? "credential is required.");
            }

            if (WeakTokenProblem(item.Credential, eventKit.Value.Security) is { } weak)
            {
                return ItemProblem(i, "credential", weak);
            }

            if (item.Status is not null && !WireNames<ParticipantStatus>.TryParse(item.Status, out status))
            {
                return ItemProblem(i, "status", "status must be one of active, suspended, revoked.");
            }

            items[i] = new NewParticipant(item.Name, item.Credential, item.Email, item.ExternalRef, status);
        }

        try
        {
            var ids = await registry.RegisterAsync(eventKit.Value.EventId, items, context.RequestAborted).ConfigureAwait(false);
            await audit.RecordAsync(context, "participant.import", "participant", null, null, AuditTrail.Values(("count", ids.Count), ("firstId", ids.Count > 0 ? ids.Min() : null), ("lastId", ids.Count > 0 ? ids.Max() : null))).ConfigureAwait(false);
            return TypedResults.Json(new ImportResponse(ids.Count, ids), ApiJsonContext.Default.ImportResponse);
        }
        catch (ParticipantImportException e)
        {
            return e.Index is { } index
                ? ItemProblem(index, e.Field ?? "item", e.Message)
                : Problems.Create(StatusCodes.Status400BadRequest, "invalid_participants", "The import was refused; nothing was stored.", e.Message);
        }
    }

    public static async Task<IResult> PatchParticipantAsync(long id, HttpContext context, IParticipantRegistry registry, IParticipantDirectory directory, IOptions<EventKitOptions> eventKit, IOptions<EventKitApiOptions> options, AuditTrail audit)
    {
        var (body, problem) = await RequestBody.ReadAsync(context.Request, options.Value.MaxManagementBodyBytes, ApiJsonContext.Default.ParticipantPatchBody, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Status is null && body.Credential is null)
        {
            return Problems.InvalidField("status", "Send status and/or credential.");
        }

        var status = ParticipantStatus.Active;
        if (body.Status is not null && !WireNames<ParticipantStatus>.TryParse(body.Status, out status))
        {
            return Problems.InvalidField("status", "status must be one of active, suspended, revoked.");
        }

        if (body.Credential is not null && (CredentialHash.Validate(body.Credential) ?? WeakTokenProblem(body.Credential, eventKit.Value.Security)) is { } credentialProblem)
        {
            return Problems.InvalidField("credential", credentialProblem);
        }

        // Another event's participant (nodes of several events may share a database) does not exist here.
        var before = id > 0 ? await directory.GetAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
        if (before is null || before.EventId != eventKit.Value.EventId)
        {
            return Problems.NotFound("participant_not_found", $"Participant {id} does not exist.");
        }

        try
        {
            // One statement: a credential and a status sent together are applied together or not at all.
            if (!await registry.UpdateAsync(id, body.Status is null ? null : status, body.Credential, context.RequestAborted).ConfigureAwait(false))
            {
                return Problems.NotFound("participant_not_found", $"Participant {id} does not exist.");
            }

            await audit.RecordAsync(
                context,
                "participant.update",
                "participant",
                id,
                AuditTrail.Values(("status", WireNames<ParticipantStatus>.Of(before.Status))),
                AuditTrail.Values(("status", WireNames<ParticipantStatus>.Of(body.Status is null ? before.Status : status)), ("credential", body.Credential is null ? null : "replaced"))).ConfigureAwait(false);
            return TypedResults.Ok();
        }
        catch (ParticipantImportException e)
        {
            // Either the new credential is held by another active participant, or reactivating would give the
            // participant's credential two active holders.
            return Problems.Create(StatusCodes.Status409Conflict, "credential_taken", "The credential is held by another active participant.", e.Message, body.Credential is not null ? "credential" : "status");
        }
    }

    public static async Task<IResult> ProvisionBleKeyAsync(long id, HttpContext context, BleIdentityProvisioner provisioner, IParticipantDirectory directory, IOptions<EventKitOptions> eventKit, AuditTrail audit, CancellationToken cancellationToken)
    {
        // The identity key is a secret shown once: no cache (browser, proxy) may keep the response.
        Problems.NoStore(context);
        if (id <= 0 || await directory.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } participant || participant.EventId != eventKit.Value.EventId)
        {
            return Problems.NotFound("participant_not_found", $"Participant {id} does not exist.");
        }

        // The provisioner stores the key and adds it to this node's resolver at once; other nodes load it on their next refresh.
        var identity = await provisioner.ProvisionAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (identity is not null)
        {
            await audit.RecordAsync(context, "participant.ble_key", "participant", id, null, AuditTrail.Values(("bleKey", "issued"))).ConfigureAwait(false);
        }

        return identity is null
            ? Problems.NotFound("participant_not_found", $"Participant {id} does not exist.")
            : TypedResults.Json(new BleKeyResponse(Convert.ToHexStringLower(identity.IdentityKey.Span), identity.RotationExponent, identity.ClockOffset), ApiJsonContext.Default.BleKeyResponse);
    }

    /// <summary>Why <paramref name="token"/> is too short for <paramref name="security"/>, or <see langword="null"/>.</summary>
    internal static string? WeakTokenProblem(string token, EventKitSecurityOptions security)
        => !security.AllowWeakTokens && token.Length < security.MinimumTokenLength
            ? $"credential must be at least {security.MinimumTokenLength} characters (EventKit:Security:MinimumTokenLength); shorter tokens need EventKit:Security:AllowWeakTokens."
            : null;

    private static IResult ItemProblem(int index, string field, string detail)
        => Problems.Create(StatusCodes.Status400BadRequest, CheckInErrorCodes.InvalidFieldPrefix + field, $"Item {index} is invalid; nothing was stored.", detail, field, index);
}
