// A stand-in for the web-ui module's bundle: platform-api's tests check how it is served, not what it does.
document.getElementById("app").textContent = "fake dashboard script ran";
