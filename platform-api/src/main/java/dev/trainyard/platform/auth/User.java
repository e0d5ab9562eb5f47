package dev.trainyard.platform.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "users")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 64)
    private String username;

    @Column(name = "display_name", length = 200)
    private String displayName;

    @Column(name = "site_admin", nullable = false)
    private boolean siteAdmin;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected User() {}

    public User(String username, String displayName, boolean siteAdmin, Instant createdAt) {
        this.username = username;
        this.displayName = displayName;
        this.siteAdmin = siteAdmin;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getDisplayName() {
        return displayName;
    }

    public boolean isSiteAdmin() {
        return siteAdmin;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
