package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.CreateTokenRequest;
import dev.trainyard.platform.auth.AuthRecords.CreatedTokenResponse;
import dev.trainyard.platform.auth.AuthRecords.TokenResponse;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own API tokens. */
@RestController
@RequestMapping("/api/v1/tokens")
public class TokenController {

    private final TokenService tokens;

    public TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Creates a token; the response is the only place the token appears. */
    @Operation(summary = "Create a token; the response is the only place it appears")
    @Statuses(success = 201)
    @PostMapping
    public ResponseEntity<CreatedTokenResponse> create(Caller caller, @Valid @RequestBody CreateTokenRequest request) {
        CreatedTokenResponse created = tokens.create(caller, request.name(), request.scope(), request.expiresInDays());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.info().id())).body(created);
    }

    @Operation(summary = "List the caller's tokens")
    @GetMapping
    public ItemList<TokenResponse> list(Caller caller) {
        return ItemList.of(tokens.list(caller));
    }

    /** Revokes the token at once; it stays in the list as revoked. */
    @Operation(summary = "Revoke a token at once; it stays in the list as revoked")
    @DeleteMapping("/{tokenId}")
    public TokenResponse revoke(Caller caller, @PathVariable long tokenId) {
        return tokens.revoke(caller, tokenId);
    }
}
