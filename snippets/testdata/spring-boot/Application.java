// The application class the spring-boot snippet (MessageController) runs in
// for snippets/springboot_test.go: a plain Spring Boot main class, as
// start.spring.io generates it.
package com.example.mail;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class Application {
    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
