// Runs in every test worker before the tests: reflect-metadata must load before any type-graphql class.
import 'reflect-metadata';
